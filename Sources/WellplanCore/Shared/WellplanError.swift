/// The domain's one error type. The web layer turns each case into a status and a message
/// in the reader's language; nothing here knows about HTTP.
public enum WellplanError: Error, Sendable, Equatable {
    /// Input that breaks a rule, field by field.
    case invalid([FieldProblem])
    /// No such record (or none the reader may see).
    case notFound(String)
    /// The reader may not do this.
    case forbidden
    /// The action clashes with what is stored (a published version, a record still referred to…); a catalogue key.
    case conflict(String)
}
