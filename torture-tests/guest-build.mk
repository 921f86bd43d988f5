# Build rules shared by every folder of ARM guest programs (ARMv7-A A32, Linux
# user mode): torture-tests/guest, torture-tests/atomics and bench/guest.
# Each folder's Makefile includes this file; make runs in that folder.
#
#   make                 build every *.c in the folder to *.elf beside it
#   make check-rebuild   rebuild every ELF in a temporary directory and cmp it
#                        with the committed ELF (fails naming the file that differs)
#   make clean           removes only temporary leftovers; the committed *.elf
#                        files are the product and are never deleted here
#
# The build flags are fixed; only CC may be overridden.  Always build from the
# folder with relative file names so that no absolute path ends up in the ELF.
# A folder whose programs need another toolchain or flags (the hard-float VFP
# programs in torture-tests/vfp) sets GUEST_CC / GUEST_CFLAGS (and libraries
# to link after the source, GUEST_LDLIBS) before the include.

GUEST_CC     ?= arm-linux-gnueabi-gcc
GUEST_CFLAGS ?= -static -O2 -marm -march=armv7-a -pthread -Wall
CC     ?= $(GUEST_CC)
ifeq ($(origin CC),default)
CC      = $(GUEST_CC)
endif
CFLAGS := $(GUEST_CFLAGS)
LDLIBS := $(GUEST_LDLIBS)

SRCS := $(sort $(wildcard *.c))
ELFS := $(SRCS:.c=.elf)
HDRS := $(sort $(wildcard *.h))

.PHONY: all check-rebuild clean
.DEFAULT_GOAL := all

all: $(ELFS)

%.elf: %.c
	$(CC) $(CFLAGS) -o $@ $< $(LDLIBS)

# Programs may share headers in their folder; an edited header rebuilds all.
$(ELFS): $(HDRS)

# Each source is compiled from this folder (relative name, same flags) into a
# scratch directory, then compared byte for byte with the committed ELF.
#   $(call check-rebuild-loop,SOURCES,ELF SUFFIX,COMPILER AND FLAGS,LIBRARIES,WHAT)
# (thumb-build.mk runs the same loop over its Thumb builds; WHAT names them in
# the failure line.)
define check-rebuild-loop
@tmp=$$(mktemp -d) || exit 1; \
trap 'rm -rf "$$tmp"' EXIT; \
fail=0; \
for src in $(1); do \
  elf=$${src%.c}$(2); \
  if [ ! -f "$$elf" ]; then \
    echo "check-rebuild: $$elf is missing (not built/committed)"; fail=1; continue; \
  fi; \
  $(3) -o "$$tmp/$$elf" "$$src" $(4) || { echo "check-rebuild: failed to compile $$src"; fail=1; continue; }; \
  if cmp -s "$$tmp/$$elf" "$$elf"; then \
    echo "check-rebuild: $$elf identical"; \
  else \
    echo "check-rebuild: $$elf DIFFERS from a fresh rebuild of $$src"; fail=1; \
  fi; \
done; \
if [ $$fail -ne 0 ]; then echo "check-rebuild: FAILED$(5)"; exit 1; fi
endef

check-rebuild:
	$(call check-rebuild-loop,$(SRCS),.elf,$(CC) $(CFLAGS),$(LDLIBS),)
	@echo "check-rebuild: all ELFs reproducible"

# Non-destructive: the committed *.elf files are deliberately left alone.
clean:
	rm -f *.o *.tmp
