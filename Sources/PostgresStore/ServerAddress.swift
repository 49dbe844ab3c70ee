import Foundation
import NIOSSL
import PostgresNIO
import Store

/// Where a PostgreSQL store is, as a connection URL names it:
///
///     postgres://USER:PASSWORD@HOST:PORT/DATABASE
///     postgres:///DATABASE?host=/var/run/postgresql     (a Unix socket's directory)
///
/// `postgresql://` is the same. As with PostgreSQL's own tools: without a
/// host, the Unix socket in /var/run/postgresql; port 5432; the user from
/// `PGUSER`, else the login name; the database named as the user; the
/// password from `PGPASSWORD` when the URL gives none. `sslmode=disable`
/// (the default on a Unix socket), `prefer` (the default over TCP) or `require`.
struct ServerAddress {
    enum Transport: Equatable {
        case unixSocket(path: String)
        case tcp(host: String, port: Int)
    }

    /// As libpq's sslmode: `prefer` and `require` encrypt without checking
    /// the server's certificate (Debian's server has a self-signed one);
    /// `verify-full` checks it against the system's certificate authorities
    /// and the host name.
    enum Encryption: String {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    var transport: Transport
    var user: String
    var password: String?
    var database: String
    var encryption: Encryption

    /// Whether `location` names a PostgreSQL server rather than a file.
    static func isServer(_ location: String) -> Bool {
        let lowered = location.lowercased()
        return lowered.hasPrefix("postgres:") || lowered.hasPrefix("postgresql:")
    }

    init(_ url: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        guard let components = URLComponents(string: url), ["postgres", "postgresql"].contains(components.scheme?.lowercased()), url.contains("://") else {
            throw StoreError("\(Self.withoutPassword(url)) is not a PostgreSQL URL: write postgres://USER@HOST:PORT/DATABASE, with a password's '@', ':', '/', '?' or '#' written %40, %3A, %2F, %3F, %23 (or the password in PGPASSWORD)")
        }
        var query: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard ["host", "port", "user", "password", "dbname", "sslmode"].contains(item.name) else {
                throw StoreError("the PostgreSQL URL has an unknown parameter '\(item.name)'; known: host, port, user, password, dbname, sslmode")
            }
            query[item.name] = item.value ?? ""
        }
        let portText = query["port"] ?? components.port.map(String.init)
        guard let port = portText.map({ Int($0) }) ?? 5432, (1...65535).contains(port) else {
            throw StoreError("the PostgreSQL URL's port '\(portText ?? "")' is not a port number (1 to 65535)")
        }
        // An IPv6 address without the brackets the URL writes it in.
        let host = query["host"] ?? components.percentEncodedHost.flatMap { $0.isEmpty ? nil : $0.removingPercentEncoding }
            .map { $0.hasPrefix("[") && $0.hasSuffix("]") ? String($0.dropFirst().dropLast()) : $0 }
        let login = environment["PGUSER"] ?? environment["USER"] ?? NSUserName()
        user = query["user"] ?? components.user?.removingPercentEncoding ?? login
        if let written = components.password, written.removingPercentEncoding == nil {
            throw StoreError("the password in the PostgreSQL URL has a '%' that starts no escape; write '%' as %25")
        }
        password = query["password"] ?? components.password?.removingPercentEncoding ?? environment["PGPASSWORD"]
        let path = components.path.removingPercentEncoding ?? components.path
        database = query["dbname"] ?? (path.count > 1 ? String(path.dropFirst()) : user)
        if let host, !host.hasPrefix("/") {
            transport = .tcp(host: host, port: port)
        } else {
            transport = .unixSocket(path: "\(host ?? "/var/run/postgresql")/.s.PGSQL.\(port)")
        }
        let mode = query["sslmode"] ?? (transport == .tcp(host: host ?? "", port: port) ? "prefer" : "disable")
        guard let encryption = Encryption(rawValue: mode) else {
            throw StoreError("the PostgreSQL URL's sslmode '\(mode)' is not one sovscan knows; use disable, prefer, require or verify-full")
        }
        self.encryption = encryption
    }

    /// The URL as messages show it: never its password.
    static func withoutPassword(_ url: String) -> String {
        // A URL that does not parse may hold a password anywhere: none of it is shown.
        guard var components = URLComponents(string: url) else { return "the PostgreSQL URL given" }
        if components.password != nil { components.password = "***" }
        if let items = components.queryItems, items.contains(where: { $0.name == "password" }) {
            components.queryItems = items.map { $0.name == "password" ? URLQueryItem(name: "password", value: "***") : $0 }
        }
        return components.string ?? url
    }

    /// PostgresNIO's configuration for this address.
    func configuration() throws -> PostgresConnection.Configuration {
        var configuration: PostgresConnection.Configuration
        switch transport {
        case .unixSocket(let path):
            guard encryption == .disable || encryption == .prefer else {
                throw StoreError("sslmode=require needs a host to connect to over TCP; a Unix socket is not encrypted")
            }
            configuration = .init(unixSocketPath: path, username: user, password: password, database: database)
        case .tcp(let host, let port):
            var unchecked = TLSConfiguration.makeClientConfiguration()
            unchecked.certificateVerification = .none
            let tls: PostgresConnection.Configuration.TLS = switch encryption {
            case .disable: .disable
            case .prefer: try .prefer(.init(configuration: unchecked))
            case .require: try .require(.init(configuration: unchecked))
            case .verifyFull: try .require(.init(configuration: .makeClientConfiguration()))
            }
            configuration = .init(host: host, port: port, username: user, password: password, database: database, tls: tls)
        }
        configuration.options.additionalStartupParameters = [("client_encoding", "UTF8"), ("application_name", "sovscan")]
        return configuration
    }
}
