import Foundation

/// The sandbox's ledger against the gateway's records, for `MoneyInvariantsEndToEndTests`.
extension MoneyWorld {
    /// The sandbox's Working and Utility accounts against what the gateway's payments imply: exact when nothing
    /// waits for a person; otherwise within what the unresolved payments could account for.
    func ledgerFailures(_ all: [[String: Any]]) async throws -> [String] {
        var working = Self.workingStart
        var utility = Self.utilityStart
        var workingSlack: (low: Int64, high: Int64) = (0, 0)
        var utilitySlack: Int64 = 0
        for payment in all {
            let cents = Self.cents(payment["amount"])
            let status = payment["status"] as? String ?? ""
            let unresolved = status == "pending" || status == "unknown"
            switch payment["type"] as? String {
            case "stk_push", "c2b":
                if status == "succeeded" || status == "reversed" { working += cents }
                if unresolved { workingSlack.high += cents }
            case "reversal":
                if status == "succeeded" { working -= cents }
                if unresolved { workingSlack.low += cents }
            case "b2c":
                if status == "succeeded" { utility -= cents }
                if unresolved { utilitySlack += cents }
            default:
                break
            }
        }
        let balances = try await sandboxBalances()
        print(
            "MoneyInvariantsEndToEndTests: sandbox \(balances), gateway implies working \(working) utility \(utility)")
        var failures: [String] = []
        let sandboxWorking = balances["Working Account"] ?? -1
        if !(working - workingSlack.low...working + workingSlack.high).contains(sandboxWorking) {
            failures.append(
                "sandbox working \(sandboxWorking) cents, gateway implies \(working) (slack \(workingSlack))")
        }
        let sandboxUtility = balances["Utility Account"] ?? -1
        if !(utility - utilitySlack...utility).contains(sandboxUtility) {
            failures.append(
                "sandbox utility \(sandboxUtility) cents, gateway implies \(utility) (slack \(utilitySlack))")
        }
        return failures
    }

    static var workingStart: Int64 { MoneyInvariantsEndToEndTests.workingStartCents }
    static var utilityStart: Int64 { MoneyInvariantsEndToEndTests.utilityStartCents }
}
