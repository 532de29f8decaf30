import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { rateLimitClient } from '@/common/client-ip';

describe('the client as the rate limits count it', () => {
  it('keeps an IPv4 address, from either transport', () => {
    assert.equal(rateLimitClient('203.0.113.7'), '203.0.113.7');
    assert.equal(rateLimitClient('ipv4:203.0.113.7'), '203.0.113.7');
  });

  it('counts an IPv4-mapped IPv6 address as its IPv4 address', () => {
    assert.equal(rateLimitClient('::ffff:203.0.113.7'), '203.0.113.7');
    assert.equal(rateLimitClient('ipv6:[::ffff:203.0.113.7]'), '203.0.113.7');
    assert.equal(rateLimitClient('::ffff:cb00:7107'), '203.0.113.7');
  });

  it('counts every address of one IPv6 /64 network as one client', () => {
    const one = rateLimitClient('2001:db8:1:2:aaaa:bbbb:cccc:dddd');
    assert.equal(one, '2001:db8:1:2::/64');
    assert.equal(rateLimitClient('2001:0DB8:0001:0002::1'), one);
    assert.equal(rateLimitClient('ipv6:[2001:db8:1:2::ffff]'), one);
    assert.equal(rateLimitClient('2001:db8:1:2::1%eth0'), one);
    assert.notEqual(rateLimitClient('2001:db8:1:3::1'), one);
    assert.equal(rateLimitClient('::1'), '0:0:0:0::/64');
    assert.equal(rateLimitClient('ipv6:[::1]'), '0:0:0:0::/64');
  });

  it('leaves what is not an IP address as it is', () => {
    assert.equal(rateLimitClient('unix:/run/msproject.sock'), 'unix:/run/msproject.sock');
    assert.equal(rateLimitClient(''), '');
  });
});
