//! `plimsoll containers`, `plimsoll host`, `plimsoll bench`: the live audit of a Docker
//! Engine, read-only through its API.

mod bench;
mod containers;
mod engine;
mod select;

use crate::cli_live::HostArgs;
use crate::error::Fatal;

pub use bench::bench;
pub use containers::containers;

pub fn host(_args: &HostArgs) -> Result<u8, Fatal> {
    Err(Fatal::new("`plimsoll host` is not implemented yet"))
}
