import { nonPublicReason } from '../../../src/media/ip-ranges';

describe('nonPublicReason', () => {
  it.each([
    ['127.0.0.1', /loopback/],
    ['127.255.0.9', /loopback/],
    ['10.0.0.1', /private/],
    ['172.16.0.1', /private/],
    ['172.31.255.255', /private/],
    ['192.168.1.1', /private/],
    ['100.64.0.1', /carrier-grade NAT/],
    ['100.127.255.255', /carrier-grade NAT/],
    ['169.254.169.254', /metadata/],
    ['0.0.0.0', /this network/],
    ['0.1.2.3', /this network/],
    ['224.0.0.251', /multicast/],
    ['239.255.255.250', /multicast/],
    ['240.0.0.1', /reserved/],
    ['255.255.255.255', /broadcast/],
    ['192.0.2.10', /documentation/],
    ['198.18.0.1', /benchmarking/],
    ['::1', /loopback/],
    ['::', /unspecified/],
    ['fc00::1', /unique local/],
    ['fdff:ffff::1', /unique local/],
    ['fe80::1', /link-local/],
    ['fe80::1%eth0', /link-local/],
    ['febf::1', /link-local/],
    ['ff02::1', /multicast/],
    ['::ffff:127.0.0.1', /IPv4-mapped loopback/],
    ['::ffff:7f00:1', /IPv4-mapped loopback/],
    ['::ffff:a9fe:a9fe', /IPv4-mapped link-local/],
    ['::ffff:10.0.0.1', /IPv4-mapped private/],
    ['::127.0.0.1', /IPv4-compatible loopback/],
    ['::7f00:1', /IPv4-compatible loopback/],
    ['64:ff9b::7f00:1', /NAT64 loopback/],
    ['2002:c0a8:101::1', /6to4 private/],
    ['2001:db8::1', /documentation/],
    ['100::1', /reserved/],
    ['[::1]', /loopback/],
  ])('refuses %s', (address, reason) => {
    expect(nonPublicReason(address)).toMatch(reason);
  });

  it.each([['8.8.8.8'], ['93.184.215.14'], ['100.128.0.1'], ['172.32.0.1'], ['192.169.0.1'], ['2606:4700:4700::1111'], ['::ffff:8.8.8.8'], ['2002:808:808::1'], ['[2a03:2880::1]']])(
    'lets public %s through',
    (address) => {
      expect(nonPublicReason(address)).toBeNull();
    },
  );

  it.each([['localhost'], ['2130706433'], ['0177.0.0.1'], ['1.2.3'], [''], ['1::2::3'], ['::ffff:1.2.3.256']])('refuses %j, which is not an IP address in canonical form', (text) => {
    expect(nonPublicReason(text)).toBe('not an IP address');
  });
});
