//! Rule group placeholder.

use super::Rule;

/// The rules of this group.
pub static RULES: &[&dyn Rule] = &[];
