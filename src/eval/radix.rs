//! Sorting a router score per query, millions of them, without comparing:
//! a float becomes an unsigned key in `f64::total_cmp` order, and keys are
//! sorted a byte per pass (least significant first, so the sort is stable),
//! skipping the bytes every key shares. Linear in the number of queries,
//! and the same order a stable comparison sort gives.

/// `x` as a key whose unsigned order is `f64::total_cmp`'s.
pub(super) fn ascending(x: f64) -> u64 {
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// The float whose key `ascending` gave.
pub(super) fn from_ascending(key: u64) -> f64 {
    f64::from_bits(if key >> 63 == 1 {
        key & !(1 << 63)
    } else {
        !key
    })
}

/// Sorts `items` by their key, keeping the order of equal keys.
pub(super) fn sort_stable(items: &mut Vec<(u64, u32)>) {
    let n = items.len();
    let mut counts = vec![[0usize; 256]; 8];
    for &(key, _) in items.iter() {
        for (byte, count) in counts.iter_mut().enumerate() {
            count[(key >> (8 * byte)) as usize & 0xff] += 1;
        }
    }
    let mut spare = vec![(0u64, 0u32); n];
    for (byte, count) in counts.iter().enumerate() {
        // Every key has the same byte here: the pass would move nothing.
        if count.contains(&n) {
            continue;
        }
        let mut next = [0usize; 256];
        let mut at = 0;
        for (slot, &c) in next.iter_mut().zip(count) {
            *slot = at;
            at += c;
        }
        for &item in items.iter() {
            let b = (item.0 >> (8 * byte)) as usize & 0xff;
            spare[next[b]] = item;
            next[b] += 1;
        }
        std::mem::swap(items, &mut spare);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_floats_as_total_cmp_does_and_give_them_back() {
        let xs = [
            f64::NEG_INFINITY,
            -2.5,
            -0.0,
            0.0,
            1e-300,
            0.3,
            0.1 + 0.2,
            7.0,
            f64::INFINITY,
        ];
        for w in xs.windows(2) {
            assert!(ascending(w[0]) < ascending(w[1]), "{} {}", w[0], w[1]);
        }
        for x in xs {
            assert_eq!(from_ascending(ascending(x)).to_bits(), x.to_bits());
        }
    }

    #[test]
    fn the_radix_sort_is_the_stable_comparison_sort() {
        // Few distinct values, so ties are many and their order shows.
        let mut state = 7u64;
        let mut items: Vec<(u64, u32)> = (0..5000)
            .map(|i| {
                state = state
                    .wrapping_mul(6_364_136_223_846_793_005)
                    .wrapping_add(1);
                let x = ((state >> 33) % 40) as f64 / 8.0 - 2.0;
                (ascending(x), i)
            })
            .collect();
        let mut expected = items.clone();
        expected.sort_by_key(|&(key, _)| key);
        sort_stable(&mut items);
        assert_eq!(items, expected);
        let mut one = vec![(ascending(0.5), 0), (ascending(0.5), 1)];
        sort_stable(&mut one);
        assert_eq!(one, [(ascending(0.5), 0), (ascending(0.5), 1)]);
    }
}
