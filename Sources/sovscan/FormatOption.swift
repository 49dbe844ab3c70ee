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
        let bytes: [UInt8]
        do {
            bytes = try format.renderer.render(model, in: context)
        } catch {
            Terminal.standardError("sovscan: \(error)")
            throw ExitCode(1)
        }
        guard let path else {
            FileHandle.standardOutput.write(Data(bytes))
            return
        }
        do {
            try OwnerOnlyFile.write(bytes, to: path)
        } catch {
            Terminal.standardError("sovscan: cannot write \(path): \(error.localizedDescription)")
            throw ExitCode(1)
        }
    }
}
