import Domain

/// Reads a small file of one YAML document (a rules catalogue) into a node.
public enum SingleDocument {
    /// The document's root node, or nil after the errors in `log`.
    public static func read(path: String, observeChunk: ((UnsafeRawBufferPointer) -> Void)? = nil, log: inout DiagnosticLog) -> Node? {
        let stream: EventStream
        do {
            stream = try EventStream(path: path, observeChunk: observeChunk)
        } catch {
            log.error("file", at: SourceLocation(line: 1, column: 1), "cannot open the file: \(error)")
            return nil
        }
        return read(stream, path: path, log: &log)
    }

    /// The root node of YAML text held in memory.
    public static func read(text: String, name: String, log: inout DiagnosticLog) -> Node? {
        read(EventStream(text: text), path: name, log: &log)
    }

    private static func read(_ stream: EventStream, path: String, log: inout DiagnosticLog) -> Node? {
        var builder = NodeBuilder()
        var root: Node?
        do {
            while true {
                let event = try builder.nextEvent(stream)
                switch event.kind {
                case .streamEnd:
                    if root == nil { log.error("empty", at: event.location, "the file holds no YAML document") }
                    return root
                case .documentStart:
                    if root != nil {
                        log.error("yaml-syntax", at: event.location, "this file must hold one YAML document; remove the '---'")
                        return nil
                    }
                    root = try builder.node(startingWith: try builder.nextEvent(stream), from: stream, log: &log)
                default:
                    continue
                }
            }
        } catch {
            let diagnostic = error.diagnostic(file: path)
            log.error(diagnostic.code, at: diagnostic.location, diagnostic.message)
            return nil
        }
    }
}
