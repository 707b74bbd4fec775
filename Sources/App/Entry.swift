import Vapor

/// The program: `wellplan serve|demo|migrate|user|token|backup|restore|audit`.
public enum Wellplan {
    public static func main() async {
        var arguments = CommandLine.arguments
        // `demo` is `serve` on a fresh demo database, so it takes the same --hostname and --port.
        let demo = arguments.count > 1 && arguments[1] == "demo"
        if demo { arguments[1] = "serve" }
        do {
            var env = try Environment.detect(arguments: arguments)
            try LoggingSystem.bootstrap(from: &env)
            let app = try await Application.make(env)
            do {
                if demo { app.storage[DemoRegion.Key.self] = DemoRegion.Options(arguments: arguments) }
                try await configure(app)
                try await app.execute()
            } catch {
                app.logger.error("\(String(describing: error))")
                try? await app.asyncShutdown()
                exit(1)
            }
            try await app.asyncShutdown()
        } catch {
            FileHandle.standardError.write(Data("wellplan: \(error)\n".utf8))
            exit(1)
        }
    }
}
