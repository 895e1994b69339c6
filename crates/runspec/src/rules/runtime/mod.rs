//! Runtime-only rules (RS034–RS037): what only a container that exists can show — the
//! processes it runs (from the engine's `top` endpoint, never `docker exec`), whether it was
//! OOM-killed or keeps restarting, its health status, and a user that differs from the one its
//! image was built to run as. They read [`RunSpec::state`](crate::RunSpec::state), which only
//! the engine collector fills, so they never fire on compose services or `docker run` lines.

// The rules of this group, in id order: each entry declares the rule's module and lists the
// rule in `RULES`, so a rule module cannot exist unregistered.
plimsoll_core::rule_group!(dyn super::RunSpecRule;
    sshd => Sshd,
    crashing => Crashing,
    unhealthy => Unhealthy,
    user_escalation => UserEscalation,
);

/// Whether `id` is a runtime-only rule: it needs a live container, so compose and `docker
/// run` fixtures cannot make it fire (the fixture harness skips these).
pub fn is_runtime_only(id: &str) -> bool {
    RULES.iter().any(|r| r.meta().id == id)
}

/// `root`, `0`, `0:0`, `root:staff`, `:1000` (no user part: the engine runs UID 0).
pub(crate) fn is_root_user(value: &str) -> bool {
    let value = value.trim();
    let user = value.split_once(':').map_or(value, |(u, _)| u).trim();
    user.is_empty() || user == "root" || user.bytes().all(|b| b == b'0')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn runtime_ids() {
        assert!(is_runtime_only("RS034"));
        assert!(is_runtime_only("RS037"));
        assert!(!is_runtime_only("RS001"));
    }

    #[test]
    fn root_users() {
        for (v, root) in [
            ("root", true),
            ("0", true),
            ("0:0", true),
            ("root:app", true),
            (":1000", true),
            ("", true),
            ("app", false),
            ("65534", false),
            ("1000:0", false),
        ] {
            assert_eq!(is_root_user(v), root, "{v}");
        }
    }
}
