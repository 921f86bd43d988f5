// A32 words at CODE (run-a32-program.ts) for the region tests: a loop
// entered at its tail (T) for the first two outer rounds and at its body (L)
// for the other ten, so that a region formed at one entry meets the other.
// Offsets in the comments.

export const TWO_ENTRY_LOOP: readonly number[] = [
  0xe3a0200c, // 00:        mov r2, #12     outer rounds
  0xe3a000c8, // 04: outer: mov r0, #200    inner rounds
  0xe352000a, // 08:        cmp r2, #10
  0xca000002, // 0c:        bgt T           the first two rounds enter the loop at T
  0xeaffffff, // 10:        b L             the other ten at L
  0xe2811001, // 14: L:     add r1, r1, #1
  0xeaffffff, // 18:        b T
  0xe2500001, // 1c: T:     subs r0, r0, #1
  0x1afffffb, // 20:        bne L
  0xe2522001, // 24:        subs r2, r2, #1
  0x1afffff5, // 28:        bne outer
  0xef000000, // 2c:        svc #0          the end (the test's syscall handler throws)
];
