//! The one extra listing the benchmark needs besides [`Engine::containers`] and
//! [`Engine::images`]: every container's list entry (`docker ps -a`), which carries names,
//! labels, state and image id without an inspect — enough to pick the containers to audit
//! (self-exclusion label, name patterns) before inspecting them, and to count which images
//! are in use (6.1).

use bollard::models::ContainerSummary;
use bollard::query_parameters::ListContainersOptions;

use crate::client::{Budget, Engine};
use crate::error::EngineError;

impl Engine {
    /// `GET /containers/json` (`all`: stopped ones too), without inspecting anything.
    pub fn list_containers(&self, all: bool) -> Result<Vec<ContainerSummary>, EngineError> {
        let budget = Budget::new(&self.cfg);
        self.rt.block_on(budget.call(
            &self.endpoint_text,
            "GET /containers/json",
            self.docker.list_containers(Some(ListContainersOptions {
                all,
                ..Default::default()
            })),
        ))
    }
}
