"""Action items (任务) and the direct route (交办): assigning a case to departments, and each item's
life: sign for, return, start, block, complete, reassign; the case resolves when all are done."""
