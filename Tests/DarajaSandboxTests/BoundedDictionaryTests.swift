import Testing

@testable import DarajaSandbox

/// The sandbox's bounded memory: the oldest insertions go first past the bound, whichever shard holds them.
@Suite struct BoundedDictionaryTests {
    @Test func itKeepsTheNewestEntriesUpToItsBound() {
        var dictionary = BoundedDictionary<String, Int>(countMax: 1_000)
        for index in 0..<5_000 { dictionary["key-\(index)"] = index }
        #expect(dictionary.count == 1_000)
        #expect(dictionary["key-3999"] == nil)
        #expect(dictionary["key-4000"] == 4_000)
        #expect(dictionary["key-4999"] == 4_999)
        let kept = (0..<5_000).filter { dictionary["key-\($0)"] != nil }
        #expect(kept == Array(4_000..<5_000))
    }

    @Test func anUpdateKeepsItsPlaceAndARemovalFreesRoom() {
        var dictionary = BoundedDictionary<Int, String>(countMax: 3)
        dictionary[1] = "one"
        dictionary[2] = "two"
        dictionary[1] = "uno"
        #expect(dictionary.count == 2)
        #expect(dictionary[1] == "uno")
        dictionary[2] = nil
        dictionary[2] = nil
        #expect(dictionary.count == 1)
        dictionary[3] = "three"
        dictionary[4] = "four"
        #expect(dictionary.count == 3)
        #expect([dictionary[1], dictionary[3], dictionary[4]] == ["uno", "three", "four"])
        dictionary[5] = "five"
        #expect(dictionary[1] == nil)
        #expect(dictionary.count == 3)
    }
}
