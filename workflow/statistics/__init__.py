"""Statistics for the leaders (领导视图): the 三率, the overview board, the department league
table (部门考核) and the supervision register (督办台账); read-only figures over the workflow's
models, shared by the pages, the API and the Excel exports (docs/statistics.md)."""
