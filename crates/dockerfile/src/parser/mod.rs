//! BuildKit-exact Dockerfile parser (placeholder: being written).

use crate::ast::Dockerfile;
use crate::ParseError;

pub fn parse(_path: &str, _bytes: &[u8]) -> Result<Dockerfile, ParseError> {
    Err(ParseError::new("parser not implemented yet", None))
}
