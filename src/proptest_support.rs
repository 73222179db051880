//! The one configuration of every property test: a fixed seed and a bounded number of cases, so a
//! run repeats exactly (a failure found once is found again) and takes bounded work, and no
//! failure file is written into the source tree.

use proptest::test_runner::{Config, RngAlgorithm, RngSeed};

/// The seed of every property test; change it to explore other inputs, then keep what fails as
/// an ordinary test.
pub const SEED: u64 = 0x00a9_1985_c0de_5eed;

/// `cases` cases from [`SEED`], ChaCha, no persistence, bounded shrinking.
pub fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(SEED),
        max_shrink_iters: 2048,
        ..Config::default()
    }
}
