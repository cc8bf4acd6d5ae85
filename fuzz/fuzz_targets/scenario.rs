//! Arbitrary bytes through parsing, validation and a short simulation: nothing a user
//! can put in a file may panic, hang or break an invariant.
#![no_main]

use catapult_dr::scenario;
use catapult_dr::sim::{self, SimulationOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let Ok(scenario) = scenario::load(&text) else { return };
    let mut options = SimulationOptions::from_scenario(&scenario);
    // Short runs keep the fuzzer fast; the limits still apply to whatever the input asks.
    options.duration_ms = options.duration_ms.min(20 * 60_000);
    options.check_invariants = true;
    options.keep_trace = false;
    options.events_max = 300_000;
    match sim::simulate_with(&scenario, options) {
        Ok(_) | Err(sim::SimulationError::EventLimit { .. }) => {}
        Err(error) => panic!("{error}"),
    }
});
