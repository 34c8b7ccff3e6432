//! Names one typo apart: how a new person is matched against the people already registered.

/// True when `a` and `b` differ by at most one inserted, deleted or replaced character,
/// or by two adjacent letters swapped.
pub fn within_one_edit(a: &str, b: &str) -> bool {
    if a.len().abs_diff(b.len()) > 2 {
        return false;
    }
    if a == b {
        return true;
    }
    if a.is_ascii() && b.is_ascii() {
        // Folded names are almost always ASCII: compare bytes, no allocation.
        return one_edit(a.as_bytes(), b.as_bytes());
    }
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    one_edit(&a, &b)
}

fn one_edit<T: PartialEq>(a: &[T], b: &[T]) -> bool {
    let (la, lb) = (a.len(), b.len());
    if la.abs_diff(lb) > 1 {
        return false;
    }
    if a == b {
        return true;
    }
    let mut i = 0;
    while i < la.min(lb) && a[i] == b[i] {
        i += 1;
    }
    if la == lb {
        // Replacement, or a swap of two adjacent letters.
        if a[i + 1..] == b[i + 1..] {
            return true;
        }
        i + 1 < la && a[i] == b[i + 1] && a[i + 1] == b[i] && a[i + 2..] == b[i + 2..]
    } else if la > lb {
        a[i + 1..] == b[i..]
    } else {
        a[i..] == b[i + 1..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_edit() {
        assert!(within_one_edit("rossi mario", "rossi mario"));
        assert!(within_one_edit("rossi mario", "rosi mario"));
        assert!(within_one_edit("rossi mario", "rossi maria"));
        assert!(within_one_edit("rossi mario", "rossi mairo"));
        assert!(within_one_edit("rossi mario", "rossii mario"));
        assert!(!within_one_edit("rossi mario", "russo mario"));
        assert!(!within_one_edit("rossi mario", "bianchi mario"));
    }
}
