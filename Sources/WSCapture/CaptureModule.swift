import CPcap

/// The libpcap version string, e.g. "libpcap version 1.10.3".
public func libpcapVersion() -> String {
    String(cString: pcap_lib_version())
}
