//! What RUN commands do (DF030–DF048), plus the ENV/ARG settings that switch verification off.
//!
//! The rules share one reading of each RUN, built in [`crate::analysis::run`] (its commands,
//! package-manager lines, written files, verification switches). Each rule is a file of its own.

plimsoll_core::rule_group!(super::DockerfileRule;
    curl_pipe_shell => CurlPipeShell,
    sudo => SudoInRun,
    world_writable => WorldWritable,
    setuid => SetuidBits,
    package_upgrade => PackageUpgrade,
    update_alone => UpdateAlone,
    install_recommends => InstallRecommends,
    package_cache => PackageCache,
    unpinned_version => UnpinnedVersion,
    ssh_server => SshServer,
    tls_disabled => TlsDisabled,
    signature_disabled => SignatureDisabled,
    assume_yes => MissingAssumeYes,
    apt_cli => AptCli,
    run_cd => RunCd,
    pipefail => PipeWithoutPipefail,
    password => PasswordSet,
    unneeded_tools => UnneededTools,
    curl_and_wget => CurlAndWget,
);

/// One finding per place that switches `check` off: DF040 and DF041 report the same
/// verification hits, each for its own kind of check.
fn report_verification_off(
    cx: &crate::rules::Context<'_>,
    meta: &'static plimsoll_core::RuleMeta,
    check: crate::analysis::run::verification::Check,
    out: &mut Vec<plimsoll_core::Finding>,
) {
    for hit in cx.verify_hits().iter().filter(|h| h.check == check) {
        out.push(
            plimsoll_core::Finding::new(
                meta,
                plimsoll_core::Location::with_span(&cx.file.path, hit.span),
                hit.message.clone(),
            )
            .evidence(hit.evidence.clone())
            .fix(hit.fix.clone())
            .build(),
        );
    }
}

#[cfg(test)]
mod tests;
