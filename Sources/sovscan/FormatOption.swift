import ArgumentParser
import Domain
import Foundation
import Output

/// `--format`: exactly the formats `Model` can be printed in, checked as the
/// command line is parsed; help lists those and no other.
struct Format<Model: Printable>: ExpressibleByArgument {
    let renderer: any Renderer<Model>
    var value: OutputFormat { renderer.format }

    /// The model's first format.
    static var standard: Self { Self(renderer: Model.outputs.renderers[0]) }

    private init(renderer: any Renderer<Model>) {
        self.renderer = renderer
    }

    init?(argument: String) {
        guard let renderer = Model.outputs.renderers.first(where: { $0.format.rawValue == argument }) else { return nil }
        self.renderer = renderer
    }

    static var allValueStrings: [String] { Model.outputs.formats.map(\.rawValue) }

    var defaultValueDescription: String { value.rawValue }
}

/// `--csv-dialect`: RFC 4180 (the default), or what Excel opens right.
enum CSVDialect: String, ExpressibleByArgument, CaseIterable {
    case rfc4180
    /// UTF-8 with a byte-order mark, `;` where the language is German (`--lang`, else `LC_ALL` or `LANG`), else `,`.
    case excel
}

struct CSVOptions: ParsableArguments {
    @Option(name: .customLong("csv-dialect"), help: ArgumentHelp(
        "For --format csv: rfc4180 (default), or excel (UTF-8 with BOM; ';' where the language is German, else ',').", valueName: "dialect"))
    var dialect: CSVDialect = .rfc4180
}

/// Where and how a command prints its output: `--csv-dialect` and `--output`.
struct PrintOptions: ParsableArguments {
    @OptionGroup var csv: CSVOptions

    @Option(help: ArgumentHelp("Write to this file (owner-only, replaced atomically) instead of stdout.", valueName: "file"))
    var output: String?
}

/// `--lang`: the language of what is written for people to read.
struct LanguageOption: ParsableArguments {
    @Option(name: .customLong("lang"), help: ArgumentHelp("de or en (default: German where LC_ALL or LANG is, else English).", valueName: "language"))
    var chosen: Language?

    var language: Language { chosen ?? Language.of(environment: ProcessInfo.processInfo.environment) }
}

extension Language: ExpressibleByArgument {}

/// Prints a model on stdout, or into an owner-only file.
enum Printer {
    static func print<Model: Printable>(_ model: Model, as format: Format<Model>, in context: RenderContext = RenderContext(),
                                        to path: String? = nil, dialect: CSVDialect = .rfc4180) throws {
        if format.value == .csv, dialect == .excel {
            let bytes = ExcelCSV.convert(String(decoding: try format.renderer.render(model, in: context), as: UTF8.self),
                                         delimiter: context.language == .de ? ";" : ",")
            guard let path else { return FileHandle.standardOutput.write(Data(bytes)) }
            return try OwnerOnlyFile.write(to: path) { try $0.write(bytes) }
        }
        guard let path else {
            if format.value == .xlsx || format.value == .pdf, isatty(STDOUT_FILENO) != 0 {
                throw Failure.usage("a \(format.value == .pdf ? "PDF" : "workbook") is not for a terminal: write it with --output FILE.\(format.value.rawValue) (or redirect stdout)")
            }
            let sink = OutputSink { FileHandle.standardOutput.write(Data($0)) }
            try format.renderer.write(model, in: context, to: sink)
            try sink.flush()
            return
        }
        try OwnerOnlyFile.write(to: path) { sink in try format.renderer.write(model, in: context, to: sink) }
    }
}

/// Writes a report as the owner's only: to a temporary file beside the
/// target, then renamed over it, so that a reader never sees half a report
/// (nor one that failed half way).
enum OwnerOnlyFile {
    /// Whatever `body` throws passes through; a file that cannot be written
    /// is a `Failure` that names it.
    static func write(to path: String, _ body: (OutputSink) throws -> Void) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        func failure(_ error: any Error) -> Failure {
            Failure.invalid("cannot write \(path): \(error.localizedDescription)")
        }
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure(POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        defer { unlink(temporary.path) }
        let sink = OutputSink { bytes in
            do { try handle.write(contentsOf: Data(bytes)) } catch { throw failure(error) }
        }
        try body(sink)
        try sink.flush()
        do {
            try handle.synchronize()
            try handle.close()
        } catch {
            throw failure(error)
        }
        guard rename(temporary.path, url.path) == 0 else { throw failure(POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO)) }
    }
}
