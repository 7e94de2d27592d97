import Hummingbird

/// The hot answers written with `JSONWriter` rather than `JSONEncoder` (the same members, see Views.swift;
/// `JSONWriterTests` checks that both give the same JSON).
extension OrganizationJSON: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("id", id)
            json.field("slug", slug)
            json.field("name", name)
            json.field("plan", plan)
            json.field("status", status)
            json.key("subscription")
            json.object { json in
                json.field("status", subscription.status)
                json.field("current_period_start", subscription.currentPeriodStart)
                json.field("current_period_end", subscription.currentPeriodEnd)
            }
            json.field("rate_limit", rateLimit)
            json.field("rate_limit_burst", rateLimitBurst)
            json.fieldOrNull("callback_url_base", callbackURLBase)
            json.field("previous_callback_token_valid_until", previousCallbackTokenValidUntil)
            json.field("created_at", createdAt)
            json.field("updated_at", updatedAt)
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { jsonResponse() }
}

extension PaymentJSON: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("id", id)
            json.field("type", type)
            json.field("status", status)
            json.field("amount", number: amount.text)
            json.field("phone", phone)
            json.field("account_reference", accountReference)
            json.field("description", description)
            json.field("remarks", remarks)
            json.field("command", command)
            json.field("checkout_request_id", checkoutRequestID)
            json.field("merchant_request_id", merchantRequestID)
            json.field("conversation_id", conversationID)
            json.field("originator_conversation_id", originatorConversationID)
            json.field("original_payment_id", originalPaymentID)
            json.field("reversed_receipt", reversedReceipt)
            json.field("batch_id", batchID)
            json.fieldOrNull("short_code", shortCode.value)
            json.fieldOrNull("short_code_id", shortCodeID.value)
            // Named by the contract: always there, null until known.
            json.fieldOrNull("mpesa_receipt", mpesaReceipt.value)
            if let receiptPending { json.field("receipt_pending", receiptPending) }
            if let amountReversed { json.field("amount_reversed", number: amountReversed.text) }
            json.fieldOrNull("result_code", resultCode)
            json.fieldOrNull("result_desc", resultDesc)
            if let reconciliation {
                json.key("reconciliation")
                json.object { json in
                    json.field("attempts", Int64(reconciliation.attempts))
                    json.fieldOrNull("next_at", reconciliation.nextAt.value)
                    json.field("reason", reconciliation.reason)
                }
            }
            json.field("created_at", createdAt)
            json.field("updated_at", updatedAt)
            if let events {
                json.key("events")
                json.array(events) { json, event in
                    json.object { json in
                        json.field("type", event.type)
                        json.field("at", event.at)
                        json.field("seq", Int64(clamping: event.seq))
                        json.field("detail", event.detail)
                    }
                }
            }
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { jsonResponse() }
}

/// Written in a fixed member order, so that a replayed `POST /v1/orgs/{id}/users` gives the first answer's bytes.
extension UserJSON: JSONWritable {
    func write(to json: inout JSONWriter) {
        json.object { json in
            json.field("id", id)
            json.field("email", email)
            json.field("role", role)
            json.field("disabled", disabled)
            json.field("created_at", createdAt)
            json.field("updated_at", updatedAt)
        }
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { jsonResponse() }
}
