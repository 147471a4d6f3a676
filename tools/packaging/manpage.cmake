# cmake -P manpage.cmake: writes inkan(1) (OUT, gzipped) with help2man from the program's own
# help. help2man turns `inkan --help` into NAME, SYNOPSIS and OPTIONS; this script adds a
# COMMANDS section with the --help of every subcommand, nested ones included, found by walking
# the "Subcommands:" lists, so a new command appears in the page without anyone editing it.
# Inputs: INKAN (the binary), HELP2MAN, VERSION, OUT. The static sections are in inkan.h2m.
cmake_minimum_required(VERSION 3.25)
set(include_file ${OUT}.h2m)
file(READ ${CMAKE_CURRENT_LIST_DIR}/inkan.h2m static_sections)
file(WRITE ${include_file} "${static_sections}\n[COMMANDS]\n")

# roff inside .nf: a backslash is \e, and a line must not start with a control character.
function(roff_escape text out)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

function(describe)  # ARGN: the subcommand path, e.g. "tenant;add"
  # A fixed environment: the page must not depend on who builds it.
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=INKAN_DIR --unset=INKAN_PASSPHRASE_FILE
                          LC_ALL=C.UTF-8 ${INKAN} ${ARGN} --help
                  OUTPUT_VARIABLE help RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "inkan ${ARGN} --help failed (${rc})")
  endif()
  if(ARGN)
    list(JOIN ARGN " " name)
    roff_escape("${help}" escaped)
    file(APPEND ${include_file} ".SS \"inkan ${name}\"\n.nf\n${escaped}\n.fi\n")
  endif()
  # The names listed under "Subcommands:" (two spaces, the name, then its description).
  string(REPLACE "\n" ";" lines "${help}")
  set(in_list FALSE)
  set(subs "")
  foreach(line IN LISTS lines)
    if(line MATCHES "^Subcommands:")
      set(in_list TRUE)
    elseif(in_list AND line MATCHES "^  ([a-z][a-z0-9_-]*)")
      list(APPEND subs ${CMAKE_MATCH_1})
    elseif(in_list AND NOT line MATCHES "^ ")
      set(in_list FALSE)
    endif()
  endforeach()
  foreach(sub IN LISTS subs)
    describe(${ARGN} ${sub})
  endforeach()
endfunction()

describe()

execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=INKAN_DIR --unset=INKAN_PASSPHRASE_FILE
                        LC_ALL=C.UTF-8
                        ${HELP2MAN} --no-info --section=1 --locale=C.UTF-8 --version-string=${VERSION}
                        "--name=offline certificate authority for TLS client certificates"
                        --include=${include_file} --output=${OUT}.tmp ${INKAN}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "help2man failed (${rc})")
endif()
# gzip -n: no name or time stamp in the header, so the same sources give the same page.
execute_process(COMMAND gzip -9nf ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip failed (${rc})")
endif()
file(RENAME ${OUT}.tmp.gz ${OUT})
file(REMOVE ${include_file})
