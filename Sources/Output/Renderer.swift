import Domain
import Foundation
import Reporting
import Tracking

/// Every format sovscan writes. Each printed model offers the formats that
/// make sense for it (`Printable.outputs`), and a command's `--format`
/// accepts exactly those.
public enum OutputFormat: String, CaseIterable, Sendable {
    /// Prose or aligned lines for a terminal.
    case text
    /// Aligned columns for a terminal.
    case table
    case json
    /// RFC 4180 with CRLF line ends; cells that a spreadsheet would take for
    /// a formula are quoted as text.
    case csv
    case markdown
    /// One self-contained page: no script, no network (inline SVG and CSS).
    case html
    /// An Office Open XML workbook (`Workbook`): typed cells, a frozen header
    /// row, drop-down lists; written to a file (`--output`), not a terminal.
    case xlsx
    /// The HTML page printed on A4 by a local headless Chromium
    /// (`HeadlessChromium`); written to a file, not a terminal.
    case pdf
}

/// What a renderer may need besides its model.
public struct RenderContext: Sendable {
    /// Whether the output goes to a terminal that takes colour.
    public var colour: Bool
    /// The language of what is written for people to read; JSON and CSV
    /// keep English keys and ISO values whatever it is. It also chooses the
    /// Excel CSV dialect's separator.
    public var language: Language
    /// A directory whose `report.mustache` replaces the built-in HTML template.
    public var templateDirectory: String?
    /// The history to draw beside an HTML report, when there is more than one state.
    public var history: History?
    /// The riskiest systems of an HTML report's scope, riskiest first, at most `riskiestLimit`.
    public var riskiest: [SystemRow] = []
    public static let riskiestLimit = 10

    public init(colour: Bool = false, language: Language = .of(environment: ProcessInfo.processInfo.environment), templateDirectory: String? = nil, history: History? = nil) {
        self.colour = colour
        self.language = language
        self.templateDirectory = templateDirectory
        self.history = history
    }
}

/// Writes one computed model in one format. Renderers never query: what
/// they print is in the model (a list of systems brings its rows as the
/// store reads them).
public protocol Renderer<Model>: Sendable {
    associatedtype Model
    var format: OutputFormat { get }
    func render(_ model: Model, in context: RenderContext) throws -> [UInt8]
    /// Writes the model into `sink`: all at once by default, piece by piece
    /// by a renderer whose model streams.
    func write(_ model: Model, in context: RenderContext, to sink: OutputSink) throws
}

extension Renderer {
    public func write(_ model: Model, in context: RenderContext, to sink: OutputSink) throws {
        try sink.write(render(model, in: context))
    }
}

/// Where a renderer's bytes go, 64 KB at a time.
public final class OutputSink {
    private var buffer: [UInt8] = []
    private let deliver: ([UInt8]) throws -> Void

    public init(_ deliver: @escaping ([UInt8]) throws -> Void) {
        self.deliver = deliver
        buffer.reserveCapacity(1 << 16)
    }

    public func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func write(_ text: String) throws {
        buffer += text.utf8
        if buffer.count >= 1 << 16 { try flush() }
    }

    public func flush() throws {
        guard !buffer.isEmpty else { return }
        try deliver(buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}

/// The renderers of one model: the closed list of what it can be printed as.
public struct Outputs<Model>: Sendable {
    public let renderers: [any Renderer<Model>]

    public init(_ renderers: [any Renderer<Model>]) {
        self.renderers = renderers
    }

    /// The formats, in the order help lists them; the first is the default.
    public var formats: [OutputFormat] { renderers.map(\.format) }
}

/// A model a command prints.
public protocol Printable {
    static var outputs: Outputs<Self> { get }
}

/// Any encodable model as pretty-printed JSON with sorted keys and a final newline.
public struct JSONRenderer<Model: Encodable>: Renderer {
    public init() {}

    public var format: OutputFormat { .json }

    public func render(_ model: Model, in context: RenderContext) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(model)) + [UInt8(ascii: "\n")]
    }
}

/// A renderer of text made by a function of the model.
public struct TextRenderer<Model>: Renderer {
    public let format: OutputFormat
    let text: @Sendable (Model, RenderContext) throws -> String

    public init(_ format: OutputFormat, _ text: @escaping @Sendable (Model, RenderContext) throws -> String) {
        self.format = format
        self.text = text
    }

    public func render(_ model: Model, in context: RenderContext) throws -> [UInt8] {
        Array(try text(model, context).utf8)
    }
}

/// A renderer of bytes that are not text (a workbook).
public struct BinaryRenderer<Model>: Renderer {
    public let format: OutputFormat
    let bytes: @Sendable (Model, RenderContext) throws -> [UInt8]

    public init(_ format: OutputFormat, _ bytes: @escaping @Sendable (Model, RenderContext) throws -> [UInt8]) {
        self.format = format
        self.bytes = bytes
    }

    public func render(_ model: Model, in context: RenderContext) throws -> [UInt8] {
        try bytes(model, context)
    }
}
