//! One module per subcommand; each returns the exit status or a [`crate::error::Fatal`].

pub mod baseline;
pub mod completions;
pub mod compose;
pub mod live;
pub mod man;
pub mod probe;
pub mod rules;
pub mod run;
pub mod scan;
