-- What the application role may do, table by table (deploy/README.md, "Database roles").
--
-- Run as shenlianti_owner after every `manage.py migrate` (it is idempotent):
--   psql -v ON_ERROR_STOP=1 -U shenlianti_owner -d shenlianti -f deploy/database-grants.sql
--
-- Everything the application reads and changes: SELECT, INSERT, UPDATE, DELETE; never
-- TRUNCATE, REFERENCES, TRIGGER, nor any DDL (it owns nothing).
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO shenlianti_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO shenlianti_app;

-- The record: read and append only. The triggers of workflow/migrations/0015 refuse UPDATE,
-- DELETE and TRUNCATE to every role as well; these grants make the refusal a privilege the
-- application never had, not only a trigger an owner could drop.
REVOKE UPDATE, DELETE, TRUNCATE ON
    workflow_event, workflow_opinion, workflow_resolution, workflow_ruleamendment
    FROM shenlianti_app;
