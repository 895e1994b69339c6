//! `plimsoll containers`, `plimsoll host`, `plimsoll bench`: the live audit (being written).

use crate::cli_live::{BenchArgs, ContainersArgs, HostArgs};
use crate::error::Fatal;

pub fn containers(_args: &ContainersArgs) -> Result<u8, Fatal> {
    Err(Fatal::new("`plimsoll containers` is not implemented yet"))
}

pub fn host(_args: &HostArgs) -> Result<u8, Fatal> {
    Err(Fatal::new("`plimsoll host` is not implemented yet"))
}

pub fn bench(_args: &BenchArgs) -> Result<u8, Fatal> {
    Err(Fatal::new("`plimsoll bench` is not implemented yet"))
}
