// What a ranked feed must look like, whatever the user: ranks 1, 2, 3, … in page order,
// scores in 0..1 and never increasing down the page. A ranking that put the weakest
// offer first (a reversed comparison, a negated score) fails here.
import assert from 'node:assert/strict';

export function assertRankedByScore(feed) {
  assert.ok(feed.length > 1, 'a feed to check');
  feed.forEach((offer, i) => {
    assert.equal(offer.rank, i + 1, `rank of ${offer.id} at position ${i + 1}`);
    assert.ok(offer.score >= 0 && offer.score <= 1, `score of ${offer.id}: ${offer.score}`);
    if (i > 0) {
      const prev = feed[i - 1];
      assert.ok(prev.score >= offer.score, `#${i} ${prev.id} (${prev.score}) ranks above #${i + 1} ${offer.id} (${offer.score}) with a lower score`);
    }
  });
}
