-- The production database roles (deploy/README.md, "Database roles").
--
-- Run once as a PostgreSQL superuser, connected to the application's (empty) database:
--   psql -v ON_ERROR_STOP=1 -d shenlianti -f deploy/database-roles.sql
-- then give both roles a password (\password shenlianti_owner, \password shenlianti_app).
--
-- shenlianti_owner owns the schema and every table: it runs `manage.py migrate` (and
--   `seed_load`), nothing else. It is the only role that could drop the record's triggers.
-- shenlianti_app is what the web processes, the worker and the scheduler connect as: it owns
--   nothing, reads and writes the working tables, and may only read and append to the record
--   (events, opinions, resolutions, rule amendments). Grants for tables that migrations create
--   later: deploy/database-grants.sql, run as the owner after every `migrate`.

CREATE ROLE shenlianti_owner LOGIN;
CREATE ROLE shenlianti_app LOGIN;

SELECT format('ALTER DATABASE %I OWNER TO shenlianti_owner', current_database()) \gexec
SELECT format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database()) \gexec
SELECT format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO shenlianti_app', current_database()) \gexec

-- pg_trgm (the text search indexes) is a trusted extension: the owner may create it, but a
-- superuser creating it here saves the first migration from needing that right.
CREATE EXTENSION IF NOT EXISTS pg_trgm;

ALTER SCHEMA public OWNER TO shenlianti_owner;
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO shenlianti_app;
