/// One arrival as the input reader yields it: a body already read and checked, a JSONL line still to parse (on any
/// core, with the rest of its batch), or an input rejected outright.
enum IngestUnit: Sendable {
    case submission(Submission)
    case jsonlLine(bytes: [UInt8], origin: InputOrigin, parser: JSONLRecordParser)
    case rejected(InputProblem)

    /// The arrival's submission, or why it was rejected.
    func resolved() -> Result<Submission, InputProblem> {
        switch self {
        case .submission(let submission):
            return .success(submission)
        case .jsonlLine(let bytes, let origin, let parser):
            return Result { try parser.parse(bytes[...], origin: origin) }.mapError { $0 as! InputProblem }
        case .rejected(let problem):
            return .failure(problem)
        }
    }
}
