# Thumb-2 builds of a guest folder's programs, beside the A32 ones: Debian
# armhf's defaults (Thumb-2 code, VFPv3-D16, hard-float calling convention).
# A folder's Makefile sets THUMB_SRCS (the sources to build this way too; a
# list, so that a program added to the folder is not built as Thumb unless
# someone asks) and includes this after ../guest-build.mk; each is built to
# <name>.thumb.elf, and `make check-rebuild` checks those too.
#
# The flags are fixed; only THUMB_CC may be overridden.

THUMB_CC     ?= arm-linux-gnueabihf-gcc
THUMB_CFLAGS := -static -O2 -mthumb -mfpu=vfpv3-d16 -mfloat-abi=hard -pthread -Wall

THUMB_ELFS := $(THUMB_SRCS:.c=.thumb.elf)

.PHONY: check-rebuild-thumb

all: $(THUMB_ELFS)

# The shorter stem wins, so x.thumb.elf is built from x.c by this rule.
%.thumb.elf: %.c
	$(THUMB_CC) $(THUMB_CFLAGS) -o $@ $<

$(THUMB_ELFS): $(HDRS)

check-rebuild: check-rebuild-thumb

check-rebuild-thumb:
	@tmp=$$(mktemp -d) || exit 1; \
	trap 'rm -rf "$$tmp"' EXIT; \
	fail=0; \
	for src in $(THUMB_SRCS); do \
	  elf=$${src%.c}.thumb.elf; \
	  if [ ! -f "$$elf" ]; then \
	    echo "check-rebuild: $$elf is missing (not built/committed)"; fail=1; continue; \
	  fi; \
	  $(THUMB_CC) $(THUMB_CFLAGS) -o "$$tmp/$$elf" "$$src" || { echo "check-rebuild: failed to compile $$src"; fail=1; continue; }; \
	  if cmp -s "$$tmp/$$elf" "$$elf"; then \
	    echo "check-rebuild: $$elf identical"; \
	  else \
	    echo "check-rebuild: $$elf DIFFERS from a fresh rebuild of $$src"; fail=1; \
	  fi; \
	done; \
	if [ $$fail -ne 0 ]; then echo "check-rebuild: FAILED (Thumb builds)"; exit 1; fi
