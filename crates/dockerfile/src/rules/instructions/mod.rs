//! Instruction-structure rules (DF009–DF025): how `ADD`, `COPY`, `EXPOSE`, `HEALTHCHECK`,
//! `WORKDIR`, `VOLUME`, `RUN` flags, stage names and `CMD`/`ENTRYPOINT` are used.

plimsoll_core::rule_group!(super::DockerfileRule;
    add_url => AddUrl,
    add_instead_of_copy => AddInsteadOfCopy,
    ssh_port => SshPort,
    missing_healthcheck => MissingHealthcheck,
    multiple_healthchecks => MultipleHealthchecks,
    sensitive_paths => SensitivePaths,
    run_insecure => RunInsecure,
    run_network_host => RunNetworkHost,
    copy_stage_root => CopyStageRoot,
    copy_from_invalid => CopyFromInvalid,
    duplicate_stage_name => DuplicateStageName,
    multiple_cmd_entrypoint => MultipleCmdEntrypoint,
    relative_workdir => RelativeWorkdir,
    maintainer => Maintainer,
    invalid_expose => InvalidExpose,
    copy_dest_dir => CopyDestDir,
    shell_form => ShellForm,
);
