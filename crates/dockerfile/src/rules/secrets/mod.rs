//! Secret rules (DF007, DF008, DF049): secrets written into `ENV`/`ARG`, credential files
//! copied into layers, and literal secrets in `RUN` commands and `LABEL`s.

plimsoll_core::rule_group!(super::DockerfileRule;
    secret_env_arg => SecretEnvArg,
    credential_file => CredentialFile,
    secret_in_run => SecretInRun,
);

/// The secret heuristics live in core so the RunSpec rules (RS031) share them.
pub use plimsoll_core::secrets as patterns;

/// Name words for checksums and digests: `KEY_SHA512`, `TOKEN_CHECKSUM` name the digest of a
/// (public) file, not a secret (DF007 and DF049 agree on this).
pub(crate) fn is_digest_word(t: &str) -> bool {
    matches!(
        t,
        "sha"
            | "sha1"
            | "sha224"
            | "sha256"
            | "sha384"
            | "sha512"
            | "shasum"
            | "sha256sum"
            | "sha512sum"
            | "md5"
            | "md5sum"
            | "checksum"
            | "checksums"
            | "digest"
            | "sum"
            | "crc"
            | "crc32"
            | "b2sum"
            | "blake2"
            | "blake3"
    )
}
