//! The one stable sort of the cold code (`catapult_dr_core::sort`, in the scenario
//! crate) against the standard library's, with the simulator's seeded stream for data.

use catapult_dr_core::sim::rng::SimRng;
use catapult_dr_core::sort::{sort, sort_by, sort_by_key};

#[test]
fn agrees_with_the_standard_stable_sort_on_every_length_and_many_ties() {
    let mut rng = SimRng::new(7);
    for len in 0..200 {
        for distinct in [1, 3, 50] {
            let items: Vec<(u64, usize)> = (0..len)
                .map(|position| (rng.below(distinct) as u64, position))
                .collect();
            let mut ours = items.clone();
            sort_by_key(&mut ours, |item| item.0);
            let mut standard = items.clone();
            standard.sort_by_key(|item| item.0);
            assert_eq!(ours, standard, "length {len}, {distinct} distinct keys");
            let mut whole = items.clone();
            whole.reverse();
            sort(&mut whole);
            let mut standard_whole = items;
            standard_whole.sort_unstable();
            assert_eq!(whole, standard_whole);
        }
    }
}

#[test]
fn sorts_elements_that_cannot_be_copied() {
    let mut names: Vec<String> = ["peer3", "api1", "peer1", "api2", "peer2"]
        .iter()
        .map(|name| name.to_string())
        .collect();
    sort_by(&mut names, |first, second| second.cmp(first));
    assert_eq!(names, ["peer3", "peer2", "peer1", "api2", "api1"]);
}
