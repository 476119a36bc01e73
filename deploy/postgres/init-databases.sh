#!/bin/sh
# One database per service and two roles for it, each with its own password
# (a service never reads another's tables, and no two roles share a secret):
#
#   <service>_owner  owns the database and its schema; runs the migrations
#                    (`carebridge migrate`, which grants the runtime role)
#   <service>        what the service's API and worker log in as: every table
#                    of its database, but the audit tables only for reading
#                    and appending (it cannot change or remove audit records,
#                    nor switch off the triggers that refuse it)
#
# Passwords come from the environment, never from this file:
# <SERVICE>_DB_OWNER_PASSWORD and <SERVICE>_DB_PASSWORD (PATIENTS_DB_PASSWORD, ...).
# Run once by the postgres image on an empty data directory
# (/docker-entrypoint-initdb.d), or by hand as a superuser:
#   PGHOST=... PGUSER=postgres PATIENTS_DB_PASSWORD=... sh init-databases.sh
# Running it again sets the passwords again (how they are rotated).
set -eu

services=${CAREBRIDGE_SERVICES:-patients careplans scheduling billing notifications monitoring}
for service in $services; do
  upper=$(echo "$service" | tr '[:lower:]-' '[:upper:]_')
  eval "owner_password=\${${upper}_DB_OWNER_PASSWORD:?set ${upper}_DB_OWNER_PASSWORD}"
  eval "runtime_password=\${${upper}_DB_PASSWORD:?set ${upper}_DB_PASSWORD}"
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
       -v owner="${service}_owner" -v runtime="${service}" -v database="${service}" \
       -v owner_password="$owner_password" -v runtime_password="$runtime_password" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN', :'owner') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'owner')\gexec
SELECT format('CREATE ROLE %I LOGIN', :'runtime') WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = :'runtime')\gexec
ALTER ROLE :"owner" LOGIN PASSWORD :'owner_password';
ALTER ROLE :"runtime" LOGIN PASSWORD :'runtime_password';
SELECT format('CREATE DATABASE %I OWNER %I', :'database', :'owner')
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = :'database')\gexec
REVOKE ALL ON DATABASE :"database" FROM PUBLIC;
GRANT CONNECT ON DATABASE :"database" TO :"runtime";
SQL
  # The owner role owns the schema the tables go in; nobody else creates there.
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname "$service" \
       -v owner="${service}_owner" <<'SQL'
ALTER SCHEMA public OWNER TO :"owner";
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
SQL
done

# Scheduling's no-double-booking exclusion constraint needs btree_gist.
case " $services " in *" scheduling "*)
  psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname scheduling \
    -c "CREATE EXTENSION IF NOT EXISTS btree_gist" ;;
esac
