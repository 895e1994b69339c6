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

#[cfg(test)]
mod tests;
