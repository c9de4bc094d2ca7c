/// How far an ingest has got, reported after each committed batch.
public struct IngestProgress: Sendable, Equatable {
    /// Arrivals recorded so far.
    public var captures = 0
    /// Input units rejected so far.
    public var rejected = 0
    /// Bytes of bodies recorded so far.
    public var bodyBytes = 0
    /// Bytes of input (files, JSONL lines) those arrivals took.
    public var inputBytes = 0
    /// Seconds since the ingest started.
    public var seconds = 0.0
}
