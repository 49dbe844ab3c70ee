import ArgumentParser
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

/// Prints a model on stdout, or into an owner-only file.
enum Printer {
    static func print<Model: Printable>(_ model: Model, as format: Format<Model>, in context: RenderContext = RenderContext(),
                                        to path: String? = nil) throws {
        let bytes = try format.renderer.render(model, in: context)
        guard let path else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        do {
            try OwnerOnlyFile.write(bytes, to: path)
        } catch {
            throw Failure.invalid("cannot write \(path): \(error.localizedDescription)")
        }
    }
}

/// Writes a report as the owner's only: to a temporary file beside the
/// target, then renamed over it, so that a reader never sees half a report.
enum OwnerOnlyFile {
    static func write(_ bytes: [UInt8], to path: String) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(getpid()).tmp")
        let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: Data(bytes))
            try handle.synchronize()
            try handle.close()
            guard rename(temporary.path, url.path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            unlink(temporary.path)
            throw error
        }
    }
}
