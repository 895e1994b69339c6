//! How the container is operated: `read_only`, `restart` / `deploy.restart_policy`,
//! `healthcheck`, `logging`.

use super::read::Mapper;
use crate::compose::Diagnostic;
use crate::fields::Field;
use crate::model::{Healthcheck, RestartPolicy, RunSpec, Sourced};
use crate::values::parse_restart;
use crate::yaml::{Node, NodeKind};

pub(super) fn map(m: &mut Mapper, svc: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    spec.read_only = m.bool_setting(svc, Field::ReadOnly)?;
    if let Some(node) = svc.get(Field::Restart.compose()) {
        spec.restart = restart(m, node)?;
    }
    if let Some(policy) = restart_policy(m, svc)? {
        spec.restart = Some(policy);
    }
    if let Some(node) = svc.get(Field::Healthcheck.compose()) {
        spec.healthcheck = healthcheck(m, node)?;
    }
    if let Some(node) = svc.get("logging") {
        logging(m, node, spec)?;
    }
    Ok(())
}

/// The engine's policy name for a compose condition (docker compose
/// `mapRestartPolicyCondition`: `none` is `no`, `any` is `always`).
fn engine_policy_name(condition: &str) -> &str {
    match condition {
        "none" => "no",
        "any" => "always",
        other => other,
    }
}

/// `restart: no|always|on-failure[:N]|unless-stopped`, read like docker compose
/// `getRestartPolicy`, then checked as the engine checks it. An empty value is unset.
fn restart(m: &mut Mapper, node: &Node) -> Result<Option<Sourced<RestartPolicy>>, Diagnostic> {
    let Some(text) = m
        .string(node, Field::Restart.compose())?
        .filter(|s| !s.is_empty())
    else {
        return Ok(None);
    };
    let (name, count) = match text.split_once(':') {
        Some((name, count)) => (name, Some(count)),
        None => (text.as_str(), None),
    };
    let normalised = match count {
        Some(count) => format!("{}:{count}", engine_policy_name(name)),
        None => engine_policy_name(name).to_string(),
    };
    let policy = parse_restart(&normalised).map_err(|e| {
        m.bad_value(
            node,
            "restart",
            &format!("is not a restart policy ({e})"),
            "write `restart: \"no\"`, `always`, `unless-stopped` or `on-failure[:N]`",
        )
    })?;
    Ok(Some(m.sourced(policy, node, Field::Restart.compose())))
}

/// `deploy.restart_policy: {condition, max_attempts}`, which replaces `restart` when present
/// (docker compose `getRestartPolicy`). A missing condition is the engine's `no`.
fn restart_policy(
    m: &mut Mapper,
    svc: &Node,
) -> Result<Option<Sourced<RestartPolicy>>, Diagnostic> {
    let via = "deploy.restart_policy";
    let Some(node) = svc.get("deploy").and_then(|d| d.get("restart_policy")) else {
        return Ok(None);
    };
    if m.map(
        node,
        via,
        "`restart_policy: {condition: on-failure, max_attempts: 5}`",
    )?
    .is_none()
    {
        return Ok(None);
    }
    let condition = match node.get("condition") {
        Some(c) => m.string(c, &format!("{via}.condition"))?,
        None => None,
    };
    let attempts = match node.get("max_attempts") {
        Some(a) => m.int(a, &format!("{via}.max_attempts"))?,
        None => None,
    };
    let bad = |problem: &str| {
        m.bad_value(
            node,
            via,
            problem,
            "write `{condition: on-failure, max_attempts: 5}`; conditions: none, on-failure, any",
        )
    };
    let policy = match condition.as_deref().map(engine_policy_name) {
        None | Some("" | "no") => RestartPolicy::No,
        Some("always") => RestartPolicy::Always,
        Some("unless-stopped") => RestartPolicy::UnlessStopped,
        Some("on-failure") => RestartPolicy::OnFailure {
            // 0 (or none) is unlimited retries for the engine.
            max_retries: match attempts {
                None | Some(0) => None,
                Some(n) => Some(
                    u32::try_from(n).map_err(|_| bad("has a negative or huge `max_attempts`"))?,
                ),
            },
        },
        Some(other) => return Err(bad(&format!("has an unknown condition `{other}`"))),
    };
    Ok(Some(m.sourced(policy, node, via)))
}

/// `healthcheck`: `disable: true` or `test: ["NONE"]` disable it; a `test` string is run
/// by the shell (`CMD-SHELL`, compose-go `HealthCheckTest`); an empty `test` list keeps the
/// image's. Durations are kept as written (checked as Go durations).
fn healthcheck(m: &mut Mapper, node: &Node) -> Result<Option<Sourced<Healthcheck>>, Diagnostic> {
    let via = "healthcheck";
    if m.map(
        node,
        via,
        "`healthcheck: {test: [CMD, curl, -f, http://localhost], interval: 30s}`",
    )?
    .is_none()
    {
        return Ok(None);
    }
    let disabled = match node.get("disable") {
        Some(d) => m.bool(d, "healthcheck.disable")?.unwrap_or(false),
        None => false,
    };
    let test = match node.get("test") {
        None => None,
        Some(t) => test(m, t)?,
    };
    if disabled
        || test
            .as_ref()
            .is_some_and(|t| t.first().is_some_and(|w| w == "NONE"))
    {
        return Ok(Some(m.sourced(Healthcheck::Disabled, node, via)));
    }
    let mut duration = |key: &str| -> Result<Option<String>, Diagnostic> {
        let Some(value) = node.get(key) else {
            return Ok(None);
        };
        let key_via = format!("{via}.{key}");
        let Some(text) = m.string(value, &key_via)? else {
            return Ok(None);
        };
        if !is_go_duration(&text) {
            return Err(m.bad_value(
                value,
                &key_via,
                "is not a duration",
                "write a number with a unit: `30s`, `1m30s`, `500ms`",
            ));
        }
        Ok(Some(text))
    };
    let interval = duration("interval")?;
    let timeout = duration("timeout")?;
    let start_period = duration("start_period")?;
    let retries = match node.get("retries") {
        Some(r) => match m.int(r, "healthcheck.retries")? {
            Some(n) => Some(u32::try_from(n).map_err(|_| {
                m.bad_value(
                    r,
                    "healthcheck.retries",
                    "is not a positive count",
                    "write `retries: 3`",
                )
            })?),
            None => None,
        },
        None => None,
    };
    let check = Healthcheck::Check {
        test,
        interval,
        timeout,
        retries,
        start_period,
    };
    Ok(Some(m.sourced(check, node, via)))
}

/// `test: "curl -f …"` → `["CMD-SHELL", "curl -f …"]`; a list is taken as is, and must start
/// with `CMD`, `CMD-SHELL` or `NONE` (compose-go refuses anything else: warned here). An empty
/// list is `None` (the image's test applies).
fn test(m: &mut Mapper, node: &Node) -> Result<Option<Vec<String>>, Diagnostic> {
    let via = "healthcheck.test";
    m.check_size(node, via)?;
    match &node.kind {
        _ if node.is_null() => Ok(None),
        NodeKind::Scalar(s) => Ok(Some(vec!["CMD-SHELL".to_string(), s.text.clone()])),
        NodeKind::Seq(items) => {
            let mut words = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                words.push(
                    m.scalar_text(item, &format!("{via}[{i}]"), "a string")?
                        .to_string(),
                );
            }
            if let Some(first) = words.first() {
                if !matches!(first.as_str(), "CMD" | "CMD-SHELL" | "NONE") {
                    let message = format!(
                        "{}: a test list must start with CMD, CMD-SHELL or NONE, not `{first}`; docker compose refuses this",
                        m.display(via)
                    );
                    m.warn(
                        node,
                        message,
                        Some("write `test: [CMD, …]`, or the command as one string".to_string()),
                    );
                }
            }
            Ok((!words.is_empty()).then_some(words))
        }
        NodeKind::Map(_) => Err(m.wrong_type(
            node,
            via,
            "a string or a list",
            "write `test: [CMD, curl, -f, http://localhost]` or `test: curl -f http://localhost`",
        )),
    }
}

/// Go's `time.ParseDuration` syntax: `0`, or a sequence of decimal numbers each with a unit
/// (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`), optionally signed.
fn is_go_duration(text: &str) -> bool {
    let rest = text.strip_prefix(['+', '-']).unwrap_or(text);
    if rest == "0" {
        return true;
    }
    if rest.is_empty() {
        return false;
    }
    let mut s = rest;
    while !s.is_empty() {
        let digits = s
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(s.len());
        let (number, after) = s.split_at(digits);
        if number.is_empty() || number == "." || number.matches('.').count() > 1 {
            return false;
        }
        let unit_len = after
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(after.len());
        let (unit, next) = after.split_at(unit_len);
        if !matches!(unit, "ns" | "us" | "µs" | "μs" | "ms" | "s" | "m" | "h") {
            return false;
        }
        s = next;
    }
    true
}

/// `logging: {driver, options}`.
fn logging(m: &mut Mapper, node: &Node, spec: &mut RunSpec) -> Result<(), Diagnostic> {
    if m.map(
        node,
        "logging",
        "`logging: {driver: json-file, options: {max-size: 10m}}`",
    )?
    .is_none()
    {
        return Ok(());
    }
    if let Some(driver) = node.get("driver") {
        if let Some(name) = m
            .string(driver, Field::LogDriver.compose())?
            .filter(|s| !s.is_empty())
        {
            spec.log_driver = Some(m.sourced(name, driver, "logging.driver"));
        }
    }
    if let Some(options) = node.get("options") {
        for (key, value) in m
            .map(
                options,
                Field::LogOpts.compose(),
                "`options: {max-size: 10m}`",
            )?
            .unwrap_or_default()
        {
            let name = m.key(key, Field::LogOpts.compose())?;
            let via = format!("logging.options.{name}");
            let text = if value.is_null() {
                String::new()
            } else {
                m.scalar_text(value, &via, "a string or a number")?
                    .to_string()
            };
            let origin = m.origin(
                if value.is_null() { key } else { value },
                &via,
                format!("logging.options: {name}={text}"),
            );
            spec.log_opts
                .push(Sourced::new((name.to_string(), text), origin));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::testing::{map, map_err};
    use super::is_go_duration;
    use crate::model::{Healthcheck, RestartPolicy};

    #[test]
    fn restart_and_restart_policy() {
        let (spec, _) = map("services:\n  a:\n    restart: unless-stopped\n");
        assert_eq!(spec.restart.unwrap().value, RestartPolicy::UnlessStopped);
        let (spec, _) = map("services:\n  a:\n    restart: on-failure:3\n");
        assert_eq!(
            spec.restart.unwrap().value,
            RestartPolicy::OnFailure {
                max_retries: Some(3)
            }
        );
        let (spec, _) = map("services:\n  a:\n    restart: \"no\"\n");
        assert_eq!(spec.restart.unwrap().value, RestartPolicy::No);
        let err = map_err("services:\n  a:\n    restart: sometimes\n");
        assert!(
            err.message.contains("services.a.restart")
                && err.message.contains("not a restart policy"),
            "{err:?}"
        );

        let (spec, _) = map(r#"
            services:
              a:
                restart: always
                deploy:
                  restart_policy:
                    condition: on-failure
                    max_attempts: "5"
            "#);
        let restart = spec.restart.unwrap();
        assert_eq!(
            restart.value,
            RestartPolicy::OnFailure {
                max_retries: Some(5)
            }
        );
        assert_eq!(
            restart.origin.written,
            "deploy.restart_policy: {condition: on-failure, max_attempts: 5}"
        );
        let (spec, _) =
            map("services:\n  a:\n    deploy:\n      restart_policy: {condition: any}\n");
        assert_eq!(spec.restart.unwrap().value, RestartPolicy::Always);
        let (spec, _) =
            map("services:\n  a:\n    deploy:\n      restart_policy: {max_attempts: 3}\n");
        assert_eq!(spec.restart.unwrap().value, RestartPolicy::No);
        let err =
            map_err("services:\n  a:\n    deploy:\n      restart_policy: {condition: maybe}\n");
        assert!(err.message.contains("unknown condition `maybe`"), "{err:?}");
    }

    #[test]
    fn healthchecks() {
        let (spec, _) = map(r#"
            services:
              a:
                healthcheck:
                  test: curl -f http://localhost
                  interval: 30s
                  timeout: 1m30s
                  retries: "3"
                  start_period: 500ms
            "#);
        assert_eq!(
            spec.healthcheck.unwrap().value,
            Healthcheck::Check {
                test: Some(vec!["CMD-SHELL".into(), "curl -f http://localhost".into()]),
                interval: Some("30s".into()),
                timeout: Some("1m30s".into()),
                retries: Some(3),
                start_period: Some("500ms".into()),
            }
        );
        let (spec, _) = map("services:\n  a:\n    healthcheck:\n      test: [\"NONE\"]\n");
        assert_eq!(spec.healthcheck.unwrap().value, Healthcheck::Disabled);
        let (spec, _) = map(
            "services:\n  a:\n    healthcheck:\n      disable: true\n      test: [CMD, true]\n",
        );
        assert_eq!(spec.healthcheck.unwrap().value, Healthcheck::Disabled);
        let (spec, _) = map("services:\n  a:\n    healthcheck:\n      interval: 10s\n");
        assert!(matches!(
            spec.healthcheck.unwrap().value,
            Healthcheck::Check { test: None, .. }
        ));
        let (spec, warnings) = map("services:\n  a:\n    healthcheck:\n      test: [curl, x]\n");
        assert!(spec.healthcheck.is_some());
        assert!(
            warnings[0].message.contains("must start with CMD"),
            "{warnings:?}"
        );

        let err = map_err("services:\n  a:\n    healthcheck:\n      interval: 30\n");
        assert!(
            err.message.contains("services.a.healthcheck.interval")
                && err.message.contains("not a duration"),
            "{err:?}"
        );
        let err = map_err("services:\n  a:\n    healthcheck: curl\n");
        assert!(
            err.message
                .contains("services.a.healthcheck must be a mapping"),
            "{err:?}"
        );
    }

    #[test]
    fn go_durations() {
        for ok in ["0", "30s", "1m30s", "1.5h", "500ms", "10us", "-1s"] {
            assert!(is_go_duration(ok), "{ok}");
        }
        for bad in ["", "30", "s", "1x", "1..5s", "1s2"] {
            assert!(!is_go_duration(bad), "{bad}");
        }
    }

    #[test]
    fn read_only_and_logging() {
        let (spec, _) = map(r#"
            services:
              a:
                read_only: true
                logging:
                  driver: none
                  options:
                    max-size: 10m
                    max-file: 3
            "#);
        assert!(spec.read_only.unwrap().value);
        let driver = spec.log_driver.unwrap();
        assert_eq!(driver.value, "none");
        assert_eq!(driver.origin.written, "logging.driver: none");
        let opts: Vec<_> = spec.log_opts.iter().map(|o| o.value.clone()).collect();
        assert_eq!(
            opts,
            [
                ("max-size".to_string(), "10m".to_string()),
                ("max-file".to_string(), "3".to_string())
            ]
        );
    }
}
