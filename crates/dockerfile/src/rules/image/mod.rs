//! User and base-image rules (DF001–DF006, DF050): who the final image runs as, and which images the
//! build pulls (pinned, trusted, minimal, not a toolchain shipped to production).

plimsoll_core::rule_group!(super::DockerfileRule;
    root_user => RootUser,
    unpinned_tag => UnpinnedTag,
    no_digest => NoDigest,
    untrusted => Untrusted,
    non_minimal => NonMinimal,
    single_stage_tools => SingleStageTools,
    named_user => UserByName,
);
