import HTTPTypes
import PesaCore

extension PayoutBatchesController {
    static let batchSchema = JSONSchema.object([
        "id": JSONSchema.string, "status": JSONSchema.enumeration(BatchStatus.allCases.map(\.rawValue)),
        "command": JSONSchema.string, "short_code_id": JSONSchema.string, "item_count": JSONSchema.integer,
        "total": JSONSchema.number, "counts": JSONSchema.object([:]), "totals": JSONSchema.object([:]),
        "progress_percent": JSONSchema.integer, "retryable_failures": JSONSchema.integer,
        "approval": JSONSchema.object([
            "status": JSONSchema.string, "expires_at": JSONSchema.dateTime, "reviewed_by": JSONSchema.string,
            "reason": JSONSchema.string,
        ]),
        "cancelled_by": JSONSchema.string, "allow_duplicates": JSONSchema.boolean,
        "warnings": JSONSchema.array(of: JSONSchema.string), "created_by": JSONSchema.string,
        "created_at": JSONSchema.dateTime, "updated_at": JSONSchema.dateTime,
    ])
    static let item = JSONSchema.object([
        "id": JSONSchema.string, "row": JSONSchema.integer, "phone": JSONSchema.string, "amount": JSONSchema.number,
        "reference": JSONSchema.string, "name": JSONSchema.string,
        "state": JSONSchema.enumeration(BatchItemState.allCases.map(\.rawValue)), "payment_id": JSONSchema.string,
        "payment_ids": JSONSchema.array(of: JSONSchema.string), "mpesa_receipt": JSONSchema.string,
        "error_code": JSONSchema.string, "error_message": JSONSchema.string, "retryable": JSONSchema.boolean,
        "updated_at": JSONSchema.dateTime,
    ])
    static let settings = JSONSchema.object([
        "approval": JSONSchema.enumeration(BatchSettings.Approval.allCases.map(\.rawValue)),
        "approval_above": JSONSchema.integer,
        "low_balance": JSONSchema.enumeration(BatchSettings.LowBalance.allCases.map(\.rawValue)),
    ])
    static let org: [String: JSONValue] = ["org": JSONSchema.string]

    static let createSpec = RouteSpec(
        .post, "/v1/payout-batches",
        summary: "Create a payout batch from JSON or a CSV upload (text/csv, ?command=…): every row is validated "
            + "first (422 lists each bad row in errors), the same upload again answers the first batch",
        action: .createPayoutBatch, tag: "payments",
        requestBody: JSONSchema.object(
            [
                "command": JSONSchema.enumeration(B2CCommand.allCases.map(\.rawValue)), "short_code": JSONSchema.string,
                "allow_duplicates": JSONSchema.boolean,
                "items": JSONSchema.array(
                    of: JSONSchema.object(
                        [
                            "phone": JSONSchema.string, "amount": JSONSchema.integer, "reference": JSONSchema.string,
                            "name": JSONSchema.string,
                        ], required: ["phone", "amount", "reference"])),
            ], required: ["command", "items"]),
        query: org.merging(["command": JSONSchema.string, "short_code": JSONSchema.string]) { $1 },
        successStatus: .created, responseBody: batchSchema,
        errors: PayoutsController.moneyErrors + [.conflict], bodyBytesMax: Limits.batchBodyBytesMax, idempotent: true)
    static let listSpec = RouteSpec(
        .get, "/v1/payout-batches", summary: "The organization's payout batches, newest first",
        action: .readPayoutBatch, tag: "payments", query: JSONSchema.pageQuery.merging(org) { $1 },
        responseBody: JSONSchema.page(of: batchSchema), errors: [.invalidField])
    static let readSpec = RouteSpec(
        .get, "/v1/payout-batches/{id}", summary: "A payout batch: status, counts and totals by row state, progress",
        action: .readPayoutBatch, tag: "payments", query: org, responseBody: batchSchema, errors: [.notFound])
    static let itemsSpec = RouteSpec(
        .get, "/v1/payout-batches/{id}/items", summary: "A payout batch's rows, in file order",
        action: .readPayoutBatch, tag: "payments", query: JSONSchema.pageQuery.merging(org) { $1 },
        responseBody: JSONSchema.page(of: item), errors: [.notFound, .invalidField])
    static let resultsSpec = RouteSpec(
        .get, "/v1/payout-batches/{id}/results.csv",
        summary: "Every row's outcome, receipt and time as CSV (cells that would be formulas are quoted)",
        action: .readPayoutBatch, tag: "payments", query: org, responseBody: JSONSchema.string,
        responseContentType: "text/csv", errors: [.notFound])
    static let approveSpec = RouteSpec(
        .post, "/v1/payout-batches/{id}/approve",
        summary: "Approve a batch awaiting approval (an org_admin other than its creator; 403 for the creator)",
        action: .approvePayoutBatch, tag: "payments", query: org, responseBody: batchSchema,
        errors: [.notFound, .conflict, .forbidden])
    static let rejectSpec = RouteSpec(
        .post, "/v1/payout-batches/{id}/reject", summary: "Reject a batch awaiting approval: nothing is sent",
        action: .rejectPayoutBatch, tag: "payments", requestBody: JSONSchema.object(["reason": JSONSchema.string]),
        query: org, responseBody: batchSchema, errors: [.notFound, .conflict])
    static let cancelSpec = RouteSpec(
        .post, "/v1/payout-batches/{id}/cancel", summary: "Cancel a batch: rows not yet sent are skipped",
        action: .cancelPayoutBatch, tag: "payments", query: org, responseBody: batchSchema,
        errors: [.notFound, .conflict])
    static let retrySpec = RouteSpec(
        .post, "/v1/payout-batches/{id}/retry-failed",
        summary: "Send again, as new payouts, the rows that failed before reaching Daraja or with a retryable code",
        action: .retryPayoutBatch, tag: "payments", query: org, responseBody: batchSchema,
        errors: [.notFound, .conflict])
    static let readSettingsSpec = RouteSpec(
        .get, "/v1/payout-batch-settings", summary: "The organization's batch approval and low-balance rules",
        action: .readPayoutBatch, tag: "payments", query: org, responseBody: settings)
    static let saveSettingsSpec = RouteSpec(
        .put, "/v1/payout-batch-settings",
        summary: "Set when batches wait for approval (none, above approval_above shillings, all) and whether a "
            + "batch above the last known balance is refused",
        action: .updatePayoutBatchSettings, tag: "payments", requestBody: settings, query: org,
        responseBody: settings, errors: [.invalidField])
}
