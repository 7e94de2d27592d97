import PesaCore
import Testing

@Suite struct AmountTests {
    @Test func shillingsAreHundredMinorUnits() {
        #expect(Amount(shillings: 250_000).minorUnits == 25_000_000)
        #expect(Amount(minorUnits: 150).wholeShillings == nil)
        #expect(Amount(minorUnits: 300).wholeShillings == 3)
        #expect(Amount(minorUnits: 123_405).description == "1234.05")
        #expect(Amount(minorUnits: -5).description == "-0.05")
    }

    @Test(arguments: [
        (Amount.Purpose.stkPush, Int64(1), true), (.stkPush, 0, false), (.stkPush, 250_000, true),
        (.stkPush, 250_001, false), (.stkPush, -1, false), (.b2c, 9, false), (.b2c, 10, true),
        (.b2c, 250_000, true), (.b2c, 250_001, false), (.reversal, 1, true),
    ])
    func validatesDarajaRanges(purpose: Amount.Purpose, shillings: Int64, valid: Bool) {
        let result = Result { () throws(PesaCoreError) in try Amount.validatedShillings(shillings, for: purpose) }
        #expect(((try? result.get()) != nil) == valid)
        if case .failure(let error) = result { #expect(error.field == "amount") }
    }

    @Test func darajaTakesWholeShillings() throws {
        #expect(try Amount(shillings: 100).darajaShillings(for: .stkPush) == 100)
        #expect(throws: PesaCoreError.self) { try Amount(minorUnits: 10_050).darajaShillings(for: .stkPush) }
        #expect(throws: PesaCoreError.self) { try Amount(shillings: 5).darajaShillings(for: .b2c) }
    }

    @Test func additionReportsOverflow() {
        #expect(Amount(minorUnits: .max).adding(Amount(minorUnits: 1)) == nil)
        #expect(Amount(minorUnits: 1).adding(Amount(minorUnits: 2)) == Amount(minorUnits: 3))
    }

    @Test(arguments: [
        ("150", Int64?(15_000)), ("150.00", 15_000), ("150.5", 15_050), ("0.07", 7), ("0", 0),
        ("999999999999999", 99_999_999_999_999_900),
    ])
    func readsDarajasDecimalText(text: String, minorUnits: Int64?) {
        #expect(Amount(decimalText: text)?.minorUnits == minorUnits)
    }

    @Test(arguments: ["", ".", "150.", ".5", "150.005", "-150", "+150", "1e3", " 150", "150 ", "15,0", "1.2.3",
                      "1000000000000000", "١٥٠"])
    func refusesAnythingElse(text: String) {
        #expect(Amount(decimalText: text) == nil)
    }
}
