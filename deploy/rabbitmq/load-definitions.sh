#!/bin/sh
# Loads deploy/rabbitmq/definitions.json (exchange, queues, bindings, policies,
# and each service's broker users with their permissions) through the
# management API, then sets each user's password from the environment: the
# definitions carry none, and importing them leaves a user unable to log in
# until it has one again. So this is also how the passwords are rotated.
#
#   <SERVICE>_BROKER_PASSWORD       the service's worker user (`<service>`)
#   <SERVICE>_API_BROKER_PASSWORD   the service's API user (`<service>-api`)
#   QUEUE_MONITOR_BROKER_PASSWORD   `carebridge-queue-monitor` (autoscaling), if set
#
# Passwords are URL-safe tokens (they also go into the services' AMQP URLs).
set -eu
api="${RABBITMQ_API:-http://rabbitmq:15672/api}"
credentials="${RABBITMQ_ADMIN_USER:?set RABBITMQ_ADMIN_USER}:${RABBITMQ_ADMIN_PASSWORD:?set RABBITMQ_ADMIN_PASSWORD}"
definitions="${DEFINITIONS:-/definitions.json}"

call() {  # METHOD PATH [BODY]
  curl -sS --fail -u "$credentials" -H "content-type: application/json" -X "$1" ${3:+--data-binary "$3"} "$api$2"
}

set_password() {  # USER VARIABLE
  eval "password=\${$2:?set $2}"
  case "$password" in *[!A-Za-z0-9_-]*) echo "$2 must be a URL-safe token" >&2; exit 1 ;; esac
  call PUT "/users/$1" "{\"password\": \"$password\", \"tags\": \"\"}"
}

call POST /definitions "@$definitions"
for service in ${CAREBRIDGE_SERVICES:-patients careplans scheduling billing notifications monitoring}; do
  upper=$(echo "$service" | tr '[:lower:]-' '[:upper:]_')
  set_password "$service" "${upper}_BROKER_PASSWORD"
  set_password "$service-api" "${upper}_API_BROKER_PASSWORD"
done
if [ -n "${QUEUE_MONITOR_BROKER_PASSWORD:-}" ]; then
  set_password carebridge-queue-monitor QUEUE_MONITOR_BROKER_PASSWORD
fi
echo "definitions loaded, passwords set"
