//! Operations (RS029–RS033): how the container is kept running and traced — restart
//! policies that retry forever, missing healthchecks, secrets in the environment, logging
//! switched off, and images that can change under the same name.

// The rules of this group, in id order: each entry declares the rule's module and lists the
// rule in `RULES`, so a rule module cannot exist unregistered.
plimsoll_core::rule_group!(dyn super::RunSpecRule;
    restart_policy => RestartForever,
    no_healthcheck => NoHealthcheck,
    secret_env => SecretEnv,
    logging_disabled => LoggingDisabled,
    image_not_pinned => ImageNotPinned,
);
