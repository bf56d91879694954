import WSStream

/// Human-readable times.
public enum TimeText {
    /// `2026-11-22 05:30:01.123456 UTC`
    public static func utc(_ time: Timestamp) -> String {
        let days = Int64((Double(time.seconds) / 86400).rounded(.down))
        let secondsOfDay = time.seconds - days * 86400
        let (year, month, day) = civil(fromDays: days)
        let fraction = cFormat("%06d", time.nanoseconds / 1000)
        return cFormat("%04ld-%02ld-%02ld %02ld:%02ld:%02ld", year, month, day,
                      Int(secondsOfDay / 3600), Int(secondsOfDay / 60 % 60), Int(secondsOfDay % 60)) + ".\(fraction) UTC"
    }

    /// Days since 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int64) -> (Int, Int, Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (Int(m <= 2 ? y + 1 : y), Int(m), Int(d))
    }
}
