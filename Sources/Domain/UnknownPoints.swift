/// How much of a system's scores come from questions its inventory entry
/// leaves open (unknown answers score like bad ones), as the scoring works
/// it out (Scoring/OpenQuestions.swift): known risk and missing knowledge
/// told apart.
public struct UnknownPoints: Sendable, Hashable {
    /// What one open question's best answer alone would take off each score.
    public struct Question: Sendable, Hashable {
        /// The field to answer, as the inventory names it (`telemetry`, `hosting.data_location`).
        public var question: String
        public var lockIn: Int
        public var jurisdiction: Int

        public init(question: String, lockIn: Int, jurisdiction: Int) {
            self.question = question
            self.lockIn = lockIn
            self.jurisdiction = jurisdiction
        }
    }

    /// Per dimension, the points of the score that open questions add: the
    /// score less the score with every open question answered at best.
    public var lockIn = 0
    public var jurisdiction = 0
    /// The open questions that would move a score: in the order of the
    /// scoring's list of questions (`OpenQuestion`) as scored, by name as
    /// read back from a store.
    public var questions: [Question] = []

    public init(lockIn: Int = 0, jurisdiction: Int = 0, questions: [Question] = []) {
        self.lockIn = lockIn
        self.jurisdiction = jurisdiction
        self.questions = questions
    }

    public subscript(dimension: Dimension) -> Int {
        dimension == .lockIn ? lockIn : jurisdiction
    }
}

