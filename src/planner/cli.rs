//! `catapult-dr plan`.

use crate::cli::CommandResult;

pub fn plan_command(_arguments: &[String]) -> CommandResult {
    CommandResult {
        stdout: String::new(),
        stderr: "plan: not available yet in this build\n".to_string(),
        exit_code: 2,
    }
}
