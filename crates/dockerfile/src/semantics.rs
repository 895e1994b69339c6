//! The stage graph and variable resolution over a parsed Dockerfile (placeholder: being written).
pub struct Analysis;
impl Analysis {
    pub fn new(_f: &crate::ast::Dockerfile) -> Self {
        Analysis
    }
}
