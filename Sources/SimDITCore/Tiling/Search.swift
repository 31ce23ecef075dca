/// The tilers' search primitives (GENESYS-MODEL.md §3.0). Every fit test is "≤ capacity" in bits;
/// tile values are doubles holding integers.
///
/// The specification states them as scans (`i = 1, 2, …`); every fit test the tilers pass is a
/// product of the candidate with positive constants compared to a capacity, so it holds for every
/// candidate up to a threshold and for none beyond. The searches therefore find the same candidate
/// the scan would by bisection or over the divisors, in time that does not grow with the sizes
/// (a batch of 10^9 costs what a batch of 1 does).
enum TileSearch {
    /// SpatialSearch: the first `(X/i, Y/i)`, `i = 1, 2, …`, that fits. When `integral`, an `i` that
    /// does not divide both is skipped (the candidates are the divisors of gcd(X, Y)); otherwise the
    /// candidate is `(⌈X/i⌉, ⌈Y/i⌉)`. Nil when not even a 1×1 tile fits.
    @inline(__always)
    static func spatial(
        _ x: Double, _ y: Double, integral: Bool, fits: (Double, Double) -> Bool
    ) -> (Double, Double)? {
        let limit = Swift.max(x, y)
        // The scan itself for the first candidates (where the answer almost always is)…
        var i = 1.0
        while i <= Swift.min(limit, scanLength) {
            let tx = x / i, ty = y / i
            if integral {
                if tx == tx.rounded(.towardZero), ty == ty.rounded(.towardZero), fits(tx, ty) { return (tx, ty) }
            } else {
                let cx = ceil(tx), cy = ceil(ty)
                if fits(cx, cy) { return (cx, cy) }
            }
            i += 1
        }
        // … then, past them, the same answer without visiting every i.
        guard limit > scanLength, x >= 1, y >= 1, x < 0x1p62, y < 0x1p62 else { return nil }
        if integral {
            guard x == x.rounded(.towardZero), y == y.rounded(.towardZero) else { return nil }
            let divisors = Divisors.of(gcd(UInt64(x), UInt64(y)))   // ascending
            let start = divisors.firstIndex { Double($0) > scanLength } ?? divisors.count
            guard let index = firstIndex(in: start..<divisors.count, where: {
                fits(x / Double(divisors[$0]), y / Double(divisors[$0]))
            }) else { return nil }
            let i = Double(divisors[index])
            return (x / i, y / i)
        }
        guard let i = firstIndex(in: (Int(scanLength) + 1)..<(Int(limit) + 1), where: {
            fits(ceil(x / Double($0)), ceil(y / Double($0)))
        }) else { return nil }
        return (ceil(x / Double(i)), ceil(y / Double(i)))
    }

    /// How many candidates the searches try one by one before they bisect.
    static let scanLength = 64.0

    /// BatchSearch: the first `B/k`, `k = 1, 2, …`, that is a whole number and fits: the largest
    /// divisor of `B` that fits. Nil when not even 1 fits.
    @inline(__always)
    static func batch(_ total: Double, fits: (Double) -> Bool) -> Double? {
        // The scan for k = 1 … 64 (where the answer almost always is) …
        var k = 1.0
        while k <= Swift.min(total, scanLength) {
            let candidate = total / k
            if candidate == candidate.rounded(.towardZero), fits(candidate) { return candidate }
            k += 1
        }
        // … then the remaining divisors B/k < B/64, ascending: the fitting ones are a prefix.
        guard total > scanLength, total == total.rounded(.towardZero), total < 0x1p62 else { return nil }
        let divisors = Divisors.of(UInt64(total)).filter { Double($0) < total / scanLength }
        guard let first = divisors.first, fits(Double(first)) else { return nil }
        let firstFailing = firstIndex(in: 1..<divisors.count, where: { !fits(Double(divisors[$0])) }) ?? divisors.count
        return Double(divisors[firstFailing - 1])
    }

    /// Grow: the largest multiple of `unit` that is `≤ cap` and fits, trying `unit·j` for
    /// `j = 2, 3, …` and stopping at the first failure. `unit` itself is taken as fitting; the
    /// result need not divide `cap` (quirk Q1).
    @inline(__always)
    static func grow(_ unit: Double, cap: Double, fits: (Double) -> Bool) -> Double {
        guard unit > 0, unit * 2 <= cap, fits(unit * 2) else { return unit }
        let most = Swift.min((cap / unit).rounded(.down), 0x1p62)
        if fits(unit * most) { return unit * most }
        // The first j in 3 … most that fails; the one before it is the answer.
        let failing = firstIndex(in: 3..<Int(most), where: { !fits(unit * Double($0)) }) ?? Int(most)
        return unit * Double(failing - 1)
    }

    /// The smallest index in `range` for which `predicate` holds, given that it holds for every
    /// index from some point on (nil when it holds for none): bisection, `O(log n)` tests.
    @inline(__always)
    static func firstIndex(in range: Range<Int>, where predicate: (Int) -> Bool) -> Int? {
        var low = range.lowerBound, high = range.upperBound
        guard low < high else { return nil }
        while low < high {
            let middle = low + (high - low) / 2
            if predicate(middle) { high = middle } else { low = middle + 1 }
        }
        return low < range.upperBound ? low : nil
    }

    private static func gcd(_ a: UInt64, _ b: UInt64) -> UInt64 {
        var (a, b) = (a, b)
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}

/// The divisors of a whole number, from its prime factors (trial division by small primes, then
/// Miller–Rabin and Pollard's rho for what is left), so numbers up to 2^62 take microseconds.
enum Divisors {
    /// Every divisor of `n ≥ 1`, ascending.
    static func of(_ n: UInt64) -> [UInt64] {
        guard n > 1 else { return [1] }
        var factors: [UInt64] = []
        factor(n, into: &factors)
        factors.sort()
        var divisors: [UInt64] = [1]
        var index = 0
        while index < factors.count {
            let prime = factors[index]
            var count = 0
            while index < factors.count, factors[index] == prime { count += 1; index += 1 }
            let existing = divisors.count
            var power: UInt64 = 1
            for _ in 0..<count {
                power &*= prime
                for k in 0..<existing { divisors.append(divisors[k] &* power) }
            }
        }
        divisors.sort()
        return divisors
    }

    private static func factor(_ n: UInt64, into factors: inout [UInt64]) {
        var n = n
        for p: UInt64 in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
            while n % p == 0 { factors.append(p); n /= p }
        }
        var p: UInt64 = 41
        while p <= 1000, p * p <= n {
            while n % p == 0 { factors.append(p); n /= p }
            p += 2
        }
        guard n > 1 else { return }
        split(n, into: &factors)
    }

    private static func split(_ n: UInt64, into factors: inout [UInt64]) {
        if n == 1 { return }
        if isPrime(n) { factors.append(n); return }
        var c: UInt64 = 1
        while true {
            let d = rho(n, c)
            if d != n && d != 1 {
                split(d, into: &factors)
                split(n / d, into: &factors)
                return
            }
            c += 1
        }
    }

    private static func multiply(_ a: UInt64, _ b: UInt64, _ m: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return m.dividingFullWidth((high, low)).remainder
    }

    private static func power(_ base: UInt64, _ exponent: UInt64, _ m: UInt64) -> UInt64 {
        var result: UInt64 = 1, b = base % m, e = exponent
        while e > 0 {
            if e & 1 == 1 { result = multiply(result, b, m) }
            b = multiply(b, b, m)
            e >>= 1
        }
        return result
    }

    /// Deterministic Miller–Rabin for 64-bit numbers.
    private static func isPrime(_ n: UInt64) -> Bool {
        if n < 2 { return false }
        for p: UInt64 in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] where n % p == 0 { return n == p }
        var d = n - 1, s = 0
        while d & 1 == 0 { d >>= 1; s += 1 }
        witness: for a: UInt64 in [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37] {
            var x = power(a, d, n)
            if x == 1 || x == n - 1 { continue }
            for _ in 1..<s {
                x = multiply(x, x, n)
                if x == n - 1 { continue witness }
            }
            return false
        }
        return true
    }

    /// Pollard's rho with Floyd cycle detection; returns a factor of `n` (possibly `n`).
    private static func rho(_ n: UInt64, _ c: UInt64) -> UInt64 {
        var x: UInt64 = 2, y: UInt64 = 2, d: UInt64 = 1
        func step(_ v: UInt64) -> UInt64 { (multiply(v, v, n) &+ c) % n }
        while d == 1 {
            x = step(x)
            y = step(step(y))
            let difference = x > y ? x - y : y - x
            var (a, b) = (difference, n)
            while b != 0 { (a, b) = (b, a % b) }
            d = a
        }
        return d
    }
}
