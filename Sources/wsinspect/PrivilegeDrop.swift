#if canImport(Glibc)
import Glibc
#endif

/// Gives up root after the capture device is open, as `tcpdump -Z` does: supplementary groups, then the group, then
/// the user, and a check that root cannot be regained. Parsing packets an attacker chose is then done without root.
enum PrivilegeDrop {
    /// Fails unless `name` is a user (checked before the interface is opened, so a typo costs nothing).
    static func checkUser(_ name: String) throws(CommandFailure) {
        if getpwnam(name) == nil { throw .usage("--user: no user named \"\(name)\"") }
    }

    /// Becomes `name`; a one-line failure names what went wrong.
    static func become(_ name: String) throws(CommandFailure) {
        guard let entry = getpwnam(name) else {
            throw .usage("--user: no user named \"\(name)\"")
        }
        let uid = entry.pointee.pw_uid, gid = entry.pointee.pw_gid
        if geteuid() == uid && getuid() == uid { return }   // already that user
        guard geteuid() == 0 else {
            throw .usage("--user \(name) needs root to switch user (running as uid \(geteuid())); grant CAP_NET_RAW instead, see README")
        }
        if initgroups(name, gid) != 0 { throw failure("initgroups", name) }
        if setgid(gid) != 0 { throw failure("setgid", name) }
        if setuid(uid) != 0 { throw failure("setuid", name) }
        if uid != 0 && setuid(0) == 0 {
            throw .usage("--user \(name): root could be regained after dropping it; refusing to go on")
        }
    }

    private static func failure(_ call: String, _ name: String) -> CommandFailure {
        .usage("--user \(name): \(call) failed: \(String(cString: strerror(errno)))")
    }
}
