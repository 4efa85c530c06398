# deploy/kafka/sasl.bash — how a PulseCheck broker asks for SASL/SCRAM and authorizes by ACLs.
#
# Sourced (bash 4+) by scripts/infra (the native broker of development and tests) and by
# deploy/kafka/start-sasl-broker (Compose's broker), so both take the same rules. It only
# defines functions; they print, and change nothing.
#
# The users themselves (who, and with which password) come from the caller; their ACLs come
# from `pulsecheck-kafka-acls apply`, run as the super user once the broker is up.

SCRAM_MECHANISM=SCRAM-SHA-512

# sasl_broker_properties ADMIN PASSWORD LISTENER... : the server.properties lines that make
# every LISTENER (a listener name; the first carries the broker's own traffic) ask clients for
# SCRAM, the CONTROLLER listener for PLAIN, and refuse whatever no ACL allows. ADMIN is the
# super user the broker itself (and the ACL tool) connects as.
sasl_broker_properties() {
  local admin="$1" password="$2" listener scram_login
  shift 2
  scram_password_usable "$password" || return 1
  scram_login="org.apache.kafka.common.security.scram.ScramLoginModule required username=\"$admin\" password=\"$password\";"
  cat <<EOF
inter.broker.listener.name=$1
sasl.mechanism.inter.broker.protocol=$SCRAM_MECHANISM
# the controller listener: PLAIN, because the controller checks SCRAM against a log it is
# still loading when the broker first connects
sasl.mechanism.controller.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required username="$admin" password="$password" user_$admin="$password";
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:$admin
allow.everyone.if.no.acl.found=false
EOF
  for listener in "$@"; do
    printf 'listener.name.%s.sasl.enabled.mechanisms=%s\n' "${listener,,}" "$SCRAM_MECHANISM"
    printf 'listener.name.%s.%s.sasl.jaas.config=%s\n' \
      "${listener,,}" "${SCRAM_MECHANISM,,}" "$scram_login"
  done
}

# scram_credential USER PASSWORD : one `kafka-storage format --add-scram` value. SCRAM users
# can only be made before a KRaft broker first starts (its own user must exist to start it).
scram_credential() {
  scram_password_usable "$2" || return 1
  printf '%s=[name=%s,password=%s]' "$SCRAM_MECHANISM" "$1" "$2"
}

# sasl_client_properties USER PASSWORD : the client config of a JVM tool (--command-config)
sasl_client_properties() {
  scram_password_usable "$2" || return 1
  cat <<EOF
security.protocol=SASL_PLAINTEXT
sasl.mechanism=$SCRAM_MECHANISM
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$1" password="$2";
EOF
}

# A password goes inside the quotes of a JAAS line and the brackets of --add-scram: letters,
# digits and `-_.~` only, so neither can be broken out of.
scram_password_usable() {
  if [[ ! "$1" =~ ^[A-Za-z0-9._~-]+$ ]]; then
    echo "a Kafka password may hold only letters, digits and -_.~ (and not be empty)" >&2
    return 1
  fi
}
