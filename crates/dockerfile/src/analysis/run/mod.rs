//! One reading of each RUN instruction, shared by every rule that judges what RUN commands do.
//! Layered bottom-up (each module imports only those above it in this list):
//!
//! * [`positions`]: where each character of a RUN's script is in the Dockerfile, and the
//!   [`positions::RunPositions`] view the readers below need of a RUN;
//! * [`options`]: command-line option scanning (short clusters, long `=value` forms);
//! * [`commands`]: the ordered simple commands a RUN's scripts execute (wrappers peeled off,
//!   pipelines kept), read with [`plimsoll_shell`];
//! * [`downloads`], [`file_modes`]: download commands and their URLs; `chmod`-style modes;
//! * [`packages`]: package-manager command lines (install, upgrade, cache, pins);
//! * [`file_writes`]: configuration text the commands write into files;
//! * [`instructions`]: every RUN of a file with its stage, shell, variables, commands, packages
//!   and written files;
//! * [`package_settings`], [`verification`]: package-manager defaults earlier RUNs set, and
//!   where TLS or signature verification is switched off.

pub mod commands;
pub mod downloads;
pub mod file_modes;
pub mod file_writes;
pub mod instructions;
pub mod options;
pub mod package_settings;
pub mod packages;
pub mod positions;
pub mod verification;
