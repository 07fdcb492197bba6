//! Splitting a screen into shards by block id, so that its blocks can be scored on several
//! machines and the tables merged back (`synergist score --shard I/N`, `synergist merge`).
//!
//! A block belongs to shard `FNV-1a-64(id) mod N + 1`, where `id` is the block id as
//! written in the `block_id` column, hashed as its UTF-8 bytes. The hash is defined on
//! bytes, with fixed constants, so a block lands in the same shard on every platform,
//! every build and every run, whatever the other blocks of the screen.

use std::fmt;
use std::str::FromStr;

/// FNV-1a's 64-bit offset basis (Fowler, Noll & Vo; IETF draft-eastlake-fnv).
const FNV_OFFSET_BASIS: u64 = 0xcbf2_9ce4_8422_2325;
/// FNV-1a's 64-bit prime.
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// The 64-bit FNV-1a hash of a block id.
///
/// # Formula
/// h₀ = 14695981039346656037; for each byte b of the id's UTF-8 encoding,
/// hᵢ = (hᵢ₋₁ XOR b) × 1099511628211 mod 2⁶⁴ (FNV-1a, Fowler–Noll–Vo).
pub fn block_id_hash(block_id: &str) -> u64 {
    block_id.bytes().fold(FNV_OFFSET_BASIS, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(FNV_PRIME)
    })
}

/// One shard of N: `index` in 1..=`count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    index: u64,
    count: u64,
}

/// A shard that does not exist: `I/N` needs 1 ≤ I ≤ N.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    /// Not of the form `I/N` with two whole numbers.
    #[error("\"{0}\" is not a shard: write I/N, e.g. 2/8 for the second of eight shards")]
    Syntax(String),
    /// N is 0.
    #[error("a screen cannot be split into 0 shards; N must be at least 1")]
    NoShards,
    /// I is 0 or above N.
    #[error("shard {index} of {count} does not exist; I runs from 1 to {count}")]
    OutOfRange {
        /// The shard asked for.
        index: u64,
        /// The number of shards.
        count: u64,
    },
}

impl Shard {
    /// Shard `index` of `count` (both counted from 1).
    ///
    /// # Errors
    /// [`ShardError::NoShards`] when `count` is 0, [`ShardError::OutOfRange`] when `index`
    /// is 0 or above `count`.
    pub fn new(index: u64, count: u64) -> Result<Shard, ShardError> {
        if count == 0 {
            return Err(ShardError::NoShards);
        }
        if index == 0 || index > count {
            return Err(ShardError::OutOfRange { index, count });
        }
        Ok(Shard { index, count })
    }

    /// Which shard (1..=[`Shard::count`]).
    pub fn index(&self) -> u64 {
        self.index
    }

    /// How many shards.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// The shard of `count` that a block id belongs to ([`block_id_hash`] mod N, + 1).
    ///
    /// # Errors
    /// [`ShardError::NoShards`] when `count` is 0.
    pub fn of(block_id: &str, count: u64) -> Result<Shard, ShardError> {
        if count == 0 {
            return Err(ShardError::NoShards);
        }
        Ok(Shard {
            index: block_id_hash(block_id) % count + 1,
            count,
        })
    }

    /// Whether the block with this id belongs to this shard.
    pub fn contains(&self, block_id: &str) -> bool {
        block_id_hash(block_id) % self.count + 1 == self.index
    }
}

impl FromStr for Shard {
    type Err = ShardError;

    /// Parses `I/N`, e.g. `2/8`.
    fn from_str(text: &str) -> Result<Shard, ShardError> {
        let syntax = || ShardError::Syntax(text.to_string());
        let (index, count) = text.trim().split_once('/').ok_or_else(syntax)?;
        let index = index.trim().parse::<u64>().map_err(|_| syntax())?;
        let count = count.trim().parse::<u64>().map_err(|_| syntax())?;
        Shard::new(index, count)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FNV-1a-64 test vectors from the FNV reference (draft-eastlake-fnv, `fnv_test.c`).
    #[test]
    fn hash_matches_the_published_test_vectors() {
        assert_eq!(block_id_hash(""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(block_id_hash("a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(block_id_hash("foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn every_block_is_in_exactly_one_shard() {
        for count in 1..=7 {
            for id in ["1", "2", "block 17", "ONEIL:5-FU_ABT-888_A2058", "é"] {
                let owners = (1..=count)
                    .filter(|&index| Shard::new(index, count).unwrap().contains(id))
                    .count();
                assert_eq!(owners, 1, "{id} over {count} shards");
                assert!(Shard::of(id, count).unwrap().contains(id));
            }
        }
    }

    #[test]
    fn parses_and_refuses() {
        assert_eq!("2/8".parse::<Shard>(), Shard::new(2, 8));
        assert_eq!(" 1 / 1 ".parse::<Shard>().unwrap().to_string(), "1/1");
        assert_eq!(
            "0/4".parse::<Shard>(),
            Err(ShardError::OutOfRange { index: 0, count: 4 })
        );
        assert_eq!(
            "5/4".parse::<Shard>(),
            Err(ShardError::OutOfRange { index: 5, count: 4 })
        );
        assert_eq!("1/0".parse::<Shard>(), Err(ShardError::NoShards));
        assert!(matches!("2".parse::<Shard>(), Err(ShardError::Syntax(_))));
        assert!(matches!("a/b".parse::<Shard>(), Err(ShardError::Syntax(_))));
        assert!(matches!(
            "-1/4".parse::<Shard>(),
            Err(ShardError::Syntax(_))
        ));
    }
}
